import { stopReasonFromHub } from "./stop-reason";
import { usageFromHub, type HubUsage } from "./usage";
import type { AnthropicMessage, ContentBlock } from "./wire";

/**
 * A non-stream Chat Completions answer (the hub) → an Anthropic Message. Only choice 0 is read
 * (Messages has no `n`). Text comes first, then tool calls, in the order chat lists them.
 * Reasoning text some servers add (`reasoning_content`) is not turned into a thinking block:
 * Anthropic clients send thinking blocks back with a signature only Anthropic can make.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Anthropic message ids read "msg_…"; the hub id is kept inside so logs can be matched up. */
export function messageIdFromHub(hubId: unknown): string {
  const id = str(hubId).replace(/^chatcmpl-/, "");
  return id ? `msg_${id}` : `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * Tool arguments as the object Anthropic puts in `input`. Arguments a model cut short or garbled
 * become {}: `input` must be an object, and passing the raw text under an invented key would make
 * the client call its tool with a parameter that does not exist.
 */
export function parseToolInput(args: unknown): Loose {
  try {
    const parsed: unknown = JSON.parse(str(args) || "{}");
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** Chat content is a string, except on a few servers that send text parts. */
function chatText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isObject(part) && part.type === "text" ? str(part.text) : "")).join("");
}

export function chatToMessage(completion: unknown, options: { model?: string } = {}): AnthropicMessage {
  const body = isObject(completion) ? completion : {};
  const choice = Array.isArray(body.choices) && isObject(body.choices[0]) ? body.choices[0] : {};
  const message = isObject(choice.message) ? choice.message : {};

  const content: ContentBlock[] = [];
  // A refusal is the text the user should see when the model declined.
  const text = chatText(message.content) || str(message.refusal);
  if (text) content.push({ type: "text", text, citations: null });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObject(call) || !isObject(call.function)) continue;
    content.push({ type: "tool_use", id: str(call.id), name: str(call.function.name), input: parseToolInput(call.function.arguments), caller: { type: "direct" } });
  }

  return {
    id: messageIdFromHub(body.id),
    type: "message",
    role: "assistant",
    model: options.model ?? str(body.model),
    content,
    stop_reason: stopReasonFromHub(choice.finish_reason, content.some((block) => block.type === "tool_use")),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usageFromHub(isObject(body.usage) ? (body.usage as HubUsage) : null),
  };
}
