import { newItemId } from "../../../schemas/responses";
import {
  endingOf,
  finishedResponse,
  logprobsFromChat,
  nowSeconds,
  usageFromChat,
  type ChatUsage,
  type OutputContent,
  type OutputItem,
  type ResponseObject,
  type TranslationOptions,
} from "./response-object";

/**
 * A non-stream chat completion → the finished Response. Output order follows OpenAI's: reasoning,
 * then the assistant message, then function calls. Only choice 0 is read (Responses has no `n`).
 *
 * `reasoning_content` (DeepSeek, vLLM; `reasoning` on some newer servers) becomes a reasoning item
 * whose summary is that text. It is the raw chain of thought rather than a summary, but `summary`
 * is what Responses clients display, so that is where it is most useful.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Reasoning text in either field name servers use. */
export function chatReasoning(source: Loose): string {
  return str(source.reasoning_content) || str(source.reasoning);
}

/** Chat content is a string, except on a few servers that send text parts. */
function chatText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isObject(part) && part.type === "text" ? str(part.text) : "")).join("");
}

/** Chat's url_citation annotations carry their fields one level down. */
function annotationsFromChat(annotations: unknown): unknown[] {
  if (!Array.isArray(annotations)) return [];
  return annotations.map((annotation) =>
    isObject(annotation) && annotation.type === "url_citation" && isObject(annotation.url_citation)
      ? { type: "url_citation", ...annotation.url_citation }
      : annotation,
  );
}

export function fromChatCompletion(completion: unknown, skeleton: ResponseObject, options: TranslationOptions = {}): ResponseObject {
  const newId = options.newId ?? newItemId;
  const root = isObject(completion) ? completion : {};
  const choices = Array.isArray(root.choices) ? root.choices.filter(isObject) : [];
  const choice = choices.find((c) => (c.index ?? 0) === 0) ?? choices[0] ?? {};
  const message = isObject(choice.message) ? choice.message : {};
  const output: OutputItem[] = [];

  const reasoning = chatReasoning(message);
  if (reasoning) output.push({ id: newId("rs"), type: "reasoning", summary: [{ type: "summary_text", text: reasoning }] });

  const content: OutputContent[] = [];
  const text = chatText(message.content);
  if (text) {
    const logprobs = isObject(choice.logprobs) ? logprobsFromChat(choice.logprobs.content) : [];
    content.push({ type: "output_text", text, annotations: annotationsFromChat(message.annotations), logprobs });
  }
  if (str(message.refusal)) content.push({ type: "refusal", refusal: str(message.refusal) });

  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : [];
  const ending = endingOf(choice.finish_reason);
  // An answer that is nothing at all is still a message, as OpenAI sends it (an empty text).
  if (!content.length && !calls.length && ending.status === "completed") content.push({ type: "output_text", text: "", annotations: [], logprobs: [] });
  if (content.length) output.push({ id: newId("msg"), type: "message", status: "completed", role: "assistant", content });

  for (const call of calls) {
    const fn = isObject(call.function) ? call.function : {};
    output.push({
      id: newId("fc"),
      type: "function_call",
      status: "completed",
      call_id: str(call.id) || newId("call"),
      name: str(fn.name),
      arguments: str(fn.arguments),
    });
  }

  // A cut-off answer was cut in its last item; everything before it was finished.
  const last = output.at(-1);
  if (ending.status === "incomplete" && last && last.type !== "reasoning") last.status = "incomplete";

  const usage = isObject(root.usage) ? usageFromChat(root.usage as ChatUsage) : null;
  return finishedResponse(skeleton, { finishReason: choice.finish_reason, output, usage, now: (options.now ?? nowSeconds)() });
}
