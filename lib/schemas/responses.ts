import { z } from "zod";

/**
 * The Responses API request (POST /v1/responses) as we validate it, following OpenAI's OpenAPI
 * description (`CreateResponse`). Same style as the chat schema: documented fields are
 * type-checked, objects are loose so fields we do not know yet pass through, and unknown item,
 * content-part and tool types are accepted here — whether a channel can carry them is decided
 * later, per channel.
 */

/**
 * Any other `type` passes as is; a known type must have that type's shape. The check aborts so a
 * union reports the known type's own complaint (zod prefers a lone non-aborted branch otherwise).
 */
const otherType = (known: readonly string[]) =>
  z.string().min(1).refine((type) => !known.includes(type), { message: "invalid object for its type", abort: true });

const nullableString = z.string().nullable().optional();

// --- content parts ----------------------------------------------------------------------------

const inputTextPart = z.looseObject({ type: z.literal("input_text"), text: z.string() });

const inputImagePart = z
  .looseObject({
    type: z.literal("input_image"),
    image_url: z.string().min(1).nullable().optional(),
    file_id: z.string().min(1).nullable().optional(),
    detail: z.enum(["auto", "low", "high", "original"]).nullable().optional(),
  })
  .refine((part) => part.image_url || part.file_id, { message: "an input_image needs an image_url or a file_id", path: ["image_url"] });

const inputFilePart = z
  .looseObject({
    type: z.literal("input_file"),
    file_id: nullableString,
    file_data: nullableString,
    file_url: nullableString,
    filename: nullableString,
  })
  .refine((part) => part.file_id || part.file_data || part.file_url, {
    message: "an input_file needs a file_id, file_data or file_url",
    path: ["file_id"],
  });

/** Assistant turns sent back as input carry what the model produced. */
const outputTextPart = z.looseObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusalPart = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });

const PART_TYPES = ["input_text", "input_image", "input_file", "output_text", "refusal"] as const;
const contentPart = z.union([
  inputTextPart,
  inputImagePart,
  inputFilePart,
  outputTextPart,
  refusalPart,
  z.looseObject({ type: otherType(PART_TYPES) }),
]);

// --- input items ------------------------------------------------------------------------------

const itemStatus = z.enum(["in_progress", "completed", "incomplete"]);

/** `EasyInputMessage` and the explicit `InputMessage`/`OutputMessage` items share one shape here. */
const messageItem = z.looseObject({
  type: z.literal("message"),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPart)]),
  id: z.string().optional(),
  status: itemStatus.nullable().optional(),
});

const functionCallItem = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
  status: itemStatus.nullable().optional(),
});

const functionCallOutputItem = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1).max(64),
  output: z.union([z.string(), z.array(contentPart)]),
  id: nullableString,
  status: itemStatus.nullable().optional(),
});

const reasoningItem = z.looseObject({
  type: z.literal("reasoning"),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })),
  content: z.array(z.looseObject({ type: z.string(), text: z.string() })).optional(),
  encrypted_content: nullableString,
  status: itemStatus.nullable().optional(),
});

const ITEM_TYPES = ["message", "function_call", "function_call_output", "reasoning"] as const;
const knownItem = z.discriminatedUnion("type", [messageItem, functionCallItem, functionCallOutputItem, reasoningItem]);

/** An easy message (`{role, content}`) is a message item without its `type`: give it one first. */
const withMessageType = (value: unknown) =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !("type" in value) && "role" in value
    ? { type: "message", ...value }
    : value;

const inputItem = z.preprocess(withMessageType, z.union([knownItem, z.looseObject({ type: otherType(ITEM_TYPES) })]));

// --- tools, formats, request -----------------------------------------------------------------

const functionTool = z.looseObject({
  type: z.literal("function"),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "function names are 1-64 letters, digits, _ or -"),
  description: nullableString,
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string().min(1) }),
  z.looseObject({
    type: z.literal("allowed_tools"),
    mode: z.enum(["auto", "required"]),
    tools: z.array(z.looseObject({ type: z.string().min(1) })),
  }),
  // Hosted tools, mcp, custom…: accepted here, refused by channels that cannot run them.
  z.looseObject({ type: otherType(["function", "allowed_tools"]) }),
]);

const textFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "names are 1-64 letters, digits, _ or -"),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
    description: z.string().optional(),
  }),
]);

const summaryMode = z.enum(["auto", "concise", "detailed"]).nullable().optional();

const metadata = z
  .record(z.string().max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, { message: "metadata holds at most 16 keys" });

const nullableNumber = (min: number, max: number) => z.number().min(min).max(max).nullable().optional();

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: nullableString,
  tools: z.array(z.union([functionTool, z.looseObject({ type: otherType(["function"]) })])).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  max_tool_calls: z.number().int().min(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_obfuscation: z.boolean().optional() }).nullable().optional(),
  temperature: nullableNumber(0, 2),
  top_p: nullableNumber(0, 1),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  // The spec's floor: OpenAI refuses anything below 16.
  max_output_tokens: z.number().int().min(16).nullable().optional(),
  reasoning: z
    .looseObject({
      effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullable().optional(),
      summary: summaryMode,
      generate_summary: summaryMode,
    })
    .nullable()
    .optional(),
  text: z.looseObject({ format: textFormat.optional(), verbosity: z.enum(["low", "medium", "high"]).nullable().optional() }).optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: nullableString,
  metadata: metadata.nullable().optional(),
  truncation: z.enum(["auto", "disabled"]).nullable().optional(),
  user: z.string().optional(),
  safety_identifier: z.string().max(64).nullable().optional(),
  prompt_cache_key: nullableString,
  service_tier: nullableString,
  include: z.array(z.string()).nullable().optional(),
  background: z.boolean().nullable().optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

// --- normalized input items -------------------------------------------------------------------

export type ItemStatus = "in_progress" | "completed" | "incomplete";

/** A content part of a normalized message; unknown part types are kept as they came. */
export type ContentPart =
  | { type: "input_text"; text: string; [key: string]: unknown }
  | { type: "input_image"; image_url?: string | null; file_id?: string | null; detail: "auto" | "low" | "high" | "original"; [key: string]: unknown }
  | { type: "input_file"; file_id?: string | null; file_data?: string | null; file_url?: string | null; filename?: string | null; [key: string]: unknown }
  | { type: "output_text"; text: string; annotations: unknown[]; [key: string]: unknown }
  | { type: "refusal"; refusal: string; [key: string]: unknown };

export interface MessageItem {
  type: "message";
  id: string;
  role: "user" | "assistant" | "system" | "developer";
  status: ItemStatus;
  content: ContentPart[];
  [key: string]: unknown;
}

export interface FunctionCallItem {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
  [key: string]: unknown;
}

export interface FunctionCallOutputItem {
  type: "function_call_output";
  id: string;
  call_id: string;
  output: string | ContentPart[];
  status: ItemStatus;
  [key: string]: unknown;
}

export interface ReasoningInputItem {
  type: "reasoning";
  id?: string;
  summary: Array<{ type: string; text: string }>;
  [key: string]: unknown;
}

/** Item types we do not model (item_reference, hosted tool calls, …), kept verbatim. */
export interface OtherInputItem {
  type: string;
  [key: string]: unknown;
}

/**
 * An input item in the explicit form we store and list: every message is `{type:"message", id,
 * role, status, content: parts[]}`, function calls and their outputs carry ids and statuses.
 */
export type InputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningInputItem | OtherInputItem;

const hex = (bytes: number) =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join("");

/** A fresh OpenAI-style id: `newItemId("msg")` → "msg_" + 48 hex digits. */
export function newItemId(prefix: string): string {
  return `${prefix}_${hex(24)}`;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/** Text as the part type its author would have produced: the model writes output_text, people input_text. */
function textPart(role: string, text: string): ContentPart {
  return role === "assistant" ? { type: "output_text", text, annotations: [] } : { type: "input_text", text };
}

function normalizePart(part: unknown): ContentPart {
  if (!isObject(part)) return part as ContentPart;
  // The spec lists `detail` and `annotations` as always present on returned items.
  if (part.type === "input_image") return { ...part, detail: (part.detail as "auto" | undefined) ?? "auto" } as ContentPart;
  if (part.type === "output_text") return { ...part, annotations: Array.isArray(part.annotations) ? part.annotations : [] } as ContentPart;
  return part as ContentPart;
}

function normalizeItem(value: unknown): InputItem {
  const item = withMessageType(value);
  if (!isObject(item)) return item as InputItem;
  switch (item.type) {
    case "message": {
      const role = String(item.role);
      const content = typeof item.content === "string" ? [textPart(role, item.content)] : Array.isArray(item.content) ? item.content.map(normalizePart) : [];
      return { ...item, type: "message", id: typeof item.id === "string" ? item.id : newItemId("msg"), role, status: item.status ?? "completed", content } as MessageItem;
    }
    case "function_call":
      return { ...item, id: typeof item.id === "string" ? item.id : newItemId("fc"), status: item.status ?? "completed" } as FunctionCallItem;
    case "function_call_output":
      // OpenAI's own example id for these items also starts with "fc_".
      return { ...item, id: typeof item.id === "string" ? item.id : newItemId("fc"), status: item.status ?? "completed" } as FunctionCallOutputItem;
    default:
      return item as InputItem;
  }
}

/**
 * The request's `input` in explicit form. A string is one user message; easy messages become
 * message items with content parts (string content → one input_text part, or output_text for the
 * assistant); messages, function calls and function call outputs get an id when they have none.
 */
export function normalizeInput(input: string | readonly unknown[] | null | undefined): InputItem[] {
  if (input === null || input === undefined) return [];
  if (typeof input === "string") return [normalizeItem({ type: "message", role: "user", content: input })];
  return input.map(normalizeItem);
}
