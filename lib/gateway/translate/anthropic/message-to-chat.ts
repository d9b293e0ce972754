import type { StopReason } from "./wire";

/**
 * An Anthropic Message → a Chat Completions answer (the hub), for OpenAI clients on Messages
 * channels. Text blocks join into `content`; tool_use blocks become tool_calls; thinking text
 * becomes `reasoning_content`, where the hub's other translators (and DeepSeek-style clients)
 * look for reasoning. Blocks of server-side tools have no chat form and are left out.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

/** pause_turn (a server tool loop paused) ends this answer as a normal stop from chat's view. */
export function finishReasonFromAnthropic(stopReason: StopReason | string | null | undefined): string {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}

/**
 * Anthropic counts cache reads and writes apart from input_tokens; the hub, like OpenAI, counts
 * them inside prompt_tokens and details them (cache_write_tokens is the hub's field for all writes,
 * cache_write_1h_tokens for the part of them written with a 1-hour TTL).
 */
export function usageFromAnthropic(usage: unknown): Loose {
  const u = isObject(usage) ? usage : {};
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  const prompt = count(u.input_tokens) + cacheRead + cacheWrite;
  const completion = count(u.output_tokens);
  const out: Loose = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
  const creation = isObject(u.cache_creation) ? u.cache_creation : null;
  if (creation && typeof creation.ephemeral_1h_input_tokens === "number") {
    (out.prompt_tokens_details as Loose).cache_write_1h_tokens = Math.min(count(creation.ephemeral_1h_input_tokens), cacheWrite);
  }
  const details = isObject(u.output_tokens_details) ? u.output_tokens_details : null;
  if (details && typeof details.thinking_tokens === "number") out.completion_tokens_details = { reasoning_tokens: count(details.thinking_tokens) };
  return out;
}

/** Chat ids read "chatcmpl-…"; the message id is kept inside so logs can be matched up. */
export function chatIdFromAnthropic(messageId: unknown): string {
  const id = str(messageId).replace(/^msg_/, "");
  return `chatcmpl-${id || crypto.randomUUID().replaceAll("-", "")}`;
}

export function messageToChat(input: unknown, options: { model?: string; created?: number } = {}): Record<string, unknown> {
  const message = isObject(input) ? input : {};
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: Loose[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isObject(block)) continue;
    if (block.type === "text") texts.push(str(block.text));
    else if (block.type === "thinking") thinking.push(str(block.thinking));
    else if (block.type === "tool_use") toolCalls.push({ id: str(block.id), type: "function", function: { name: str(block.name), arguments: JSON.stringify(block.input ?? {}) } });
  }

  const text = texts.join("");
  const chatMessage: Loose = { role: "assistant", content: text || (toolCalls.length ? null : ""), refusal: null };
  if (thinking.length) chatMessage.reasoning_content = thinking.join("");
  if (toolCalls.length) chatMessage.tool_calls = toolCalls;

  return {
    id: chatIdFromAnthropic(message.id),
    object: "chat.completion",
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model ?? str(message.model),
    choices: [{ index: 0, message: chatMessage, logprobs: null, finish_reason: finishReasonFromAnthropic(str(message.stop_reason) || null) }],
    usage: usageFromAnthropic(message.usage),
  };
}
