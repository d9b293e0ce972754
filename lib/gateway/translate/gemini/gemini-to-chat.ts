import { finishReasonFromGemini, usageFromGemini } from "./usage";

/**
 * A Gemini `generateContent` answer → a Chat Completions answer (the hub), for OpenAI clients on
 * `gemini` channels. Only candidates[0] is read (requests never ask for more). Text parts join
 * into `content`, thought parts (`thought: true`, thought summaries) into `reasoning_content`;
 * each `functionCall` part becomes a tool call with an id made here (`call_…`) unless Gemini gave one,
 * and its `thoughtSignature` rides along as `extra_content.google.thought_signature`, as Google's
 * own OpenAI-compatible endpoint puts it, so the client sends it back with the call and
 * chat-to-gemini.ts can return it to Gemini. A prompt blocked outright (no candidates,
 * `promptFeedback.blockReason`) ends with `content_filter` and no content.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

export function toolCallId(): string {
  return `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

export function chatIdFromGemini(responseId: unknown): string {
  return `chatcmpl-${str(responseId) || crypto.randomUUID().replaceAll("-", "")}`;
}

/** One functionCall part as a chat tool call (`index` for stream deltas). */
export function toolCallOf(part: Loose, index?: number): Loose {
  const call = isObject(part.functionCall) ? part.functionCall : {};
  // Gemini names its calls only sometimes; chat needs an id on every call.
  const out: Loose = { ...(index === undefined ? {} : { index }), id: str(call.id) || toolCallId(), type: "function", function: { name: str(call.name), arguments: JSON.stringify(call.args ?? {}) } };
  if (str(part.thoughtSignature)) out.extra_content = { google: { thought_signature: str(part.thoughtSignature) } };
  return out;
}

/** The candidate's parts, sorted into chat's fields. */
export function readParts(candidate: unknown): { text: string; reasoning: string; calls: Loose[] } {
  const content = isObject(candidate) && isObject(candidate.content) ? candidate.content : {};
  let text = "";
  let reasoning = "";
  const calls: Loose[] = [];
  for (const part of Array.isArray(content.parts) ? content.parts : []) {
    if (!isObject(part)) continue;
    if (isObject(part.functionCall)) calls.push(part);
    else if (part.thought === true) reasoning += str(part.text);
    else text += str(part.text);
  }
  return { text, reasoning, calls };
}

/** Whether a prompt was refused as a whole (no candidate, a block reason). */
export function promptBlocked(answer: Loose): boolean {
  return isObject(answer.promptFeedback) && typeof answer.promptFeedback.blockReason === "string";
}

export function geminiToChat(input: unknown, options: { model?: string; created?: number } = {}): Record<string, unknown> {
  const answer = isObject(input) ? input : {};
  const candidate = Array.isArray(answer.candidates) && isObject(answer.candidates[0]) ? answer.candidates[0] : null;
  const { text, reasoning, calls } = readParts(candidate);
  const toolCalls = calls.map((part) => toolCallOf(part));
  const message: Loose = { role: "assistant", content: text || (toolCalls.length ? null : ""), refusal: null };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length) message.tool_calls = toolCalls;
  const finish = !candidate && promptBlocked(answer) ? "content_filter" : finishReasonFromGemini(candidate?.finishReason, toolCalls.length > 0);
  return {
    id: chatIdFromGemini(answer.responseId),
    object: "chat.completion",
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model ?? str(answer.modelVersion),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: usageFromGemini(answer.usageMetadata),
  };
}
