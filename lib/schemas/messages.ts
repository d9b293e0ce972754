import { z } from "zod";

/**
 * Anthropic's Messages request as we validate it: documented fields are type-checked, objects are
 * loose so fields Anthropic adds (and Claude Code sends: `context_management`, `defer_loading`,
 * `thinking.display`…) pass through to Anthropic channels and are dropped by the translators for
 * the others. The same schemas feed the docs and the OpenAPI document.
 */
const cacheControl = z.looseObject({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() }).nullable().optional();

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string(), cache_control: cacheControl });
const imageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.union([
    z.looseObject({ type: z.literal("base64"), media_type: z.string().min(1), data: z.string() }),
    z.looseObject({ type: z.literal("url"), url: z.string().min(1) }),
    z.looseObject({ type: z.string().min(1) }),
  ]),
  cache_control: cacheControl,
});
const toolUseBlock = z.looseObject({ type: z.literal("tool_use"), id: z.string().min(1), name: z.string().min(1), input: z.unknown() });
const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string().min(1) }))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
/** Any other block type (document, thinking, server tool records…) passes as is; a known type must have its shape. */
const KNOWN_BLOCKS = ["text", "image", "tool_use", "tool_result"];
const otherBlock = z.looseObject({
  type: z.string().min(1).refine((type) => !KNOWN_BLOCKS.includes(type), { message: "invalid content block for its type", abort: true }),
});
export const contentBlockSchema = z.union([textBlock, imageBlock, toolUseBlock, toolResultBlock, otherBlock]);

export const messageParamSchema = z.looseObject({
  // Anthropic's API takes user and assistant turns; Claude Code and some tools also send mid-conversation system turns.
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

const customTool = z.looseObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, "tool names are 1-128 letters, digits, _ or -"),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal("object") }),
  type: z.literal("custom").optional(),
  cache_control: cacheControl,
});
/** Anthropic's server tools (web_search_20250305, bash_20250124…): typed by name, passed on as they are. */
const serverTool = z.looseObject({ type: z.string().min(1), name: z.string().min(1) });

const toolChoice = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("tool"), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("none") }),
]);

const thinking = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1) }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive") }),
]);

const system = z.union([z.string(), z.array(textBlock)]);

/** What the token count of a request depends on: everything but the sampling and output settings. */
const promptFields = {
  model: z.string().min(1, "model is required"),
  messages: z.array(messageParamSchema).min(1, "messages must contain at least one message"),
  system: system.optional(),
  tools: z.array(z.union([customTool, serverTool])).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
};

export const messagesRequestSchema = z.looseObject({
  ...promptFields,
  max_tokens: z.number().int().min(1, "max_tokens must be at least 1"),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  service_tier: z.enum(["auto", "standard_only"]).optional(),
});

export const countTokensRequestSchema = z.looseObject(promptFields);

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;
