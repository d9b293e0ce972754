import { z } from "zod";

/**
 * The Chat Completions request as we validate it: every documented field is type-checked, and
 * objects are loose so unknown fields (providers add new ones every month) pass through unchanged.
 * The same schemas feed the OpenAPI document.
 */
const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.enum(["auto", "low", "high"]).optional() }),
});
/** Any other `type` (input_audio, file, …) passes as is; a known type must have that type's shape. */
const otherType = (known: string[]) =>
  z.string().min(1).refine((type) => !known.includes(type), { message: "invalid part for its type", abort: true });
const contentPart = z.union([textPart, imagePart, z.looseObject({ type: otherType(["text", "image_url"]) })]);

const content = z.union([z.string(), z.array(contentPart)]);

const toolCall = z.looseObject({
  id: z.string(),
  type: z.string(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }).optional(),
});

export const chatMessageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content, name: z.string().optional() }),
  z.looseObject({ role: z.literal("developer"), content, name: z.string().optional() }),
  z.looseObject({ role: z.literal("user"), content, name: z.string().optional() }),
  z.looseObject({
    role: z.literal("assistant"),
    content: content.nullable().optional(),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(toolCall).optional(),
  }),
  z.looseObject({ role: z.literal("tool"), content, tool_call_id: z.string() }),
  z.looseObject({ role: z.literal("function"), content: z.string().nullable(), name: z.string() }),
]);

const functionTool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "function names are 1-64 letters, digits, _ or -"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const nullableNumber = (min: number, max: number) => z.number().min(min).max(max).nullable().optional();
const positiveInt = z.number().int().min(1).nullable().optional();

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  messages: z.array(chatMessageSchema).min(1, "messages must contain at least one message"),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: nullableNumber(0, 2),
  top_p: nullableNumber(0, 1),
  n: z.number().int().min(1).max(128).nullable().optional(),
  max_tokens: positiveInt,
  max_completion_tokens: positiveInt,
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
  presence_penalty: nullableNumber(-2, 2),
  frequency_penalty: nullableNumber(-2, 2),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  tools: z.array(z.union([functionTool, z.looseObject({ type: otherType(["function"]) })])).optional(),
  tool_choice: z
    .union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.string() })])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).optional(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** zod's path → OpenAI's `param` notation: ["messages", 0, "content"] → "messages[0].content". */
export function toParam(path: ReadonlyArray<PropertyKey>): string | null {
  let param = "";
  for (const part of path) param += typeof part === "number" ? `[${part}]` : param ? `.${String(part)}` : String(part);
  return param || null;
}
