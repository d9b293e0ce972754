import { SSE_DONE, sseEvent } from "../../http/sse";
import { Untranslatable } from "../../translate/hub";
import { chatToGemini } from "../../translate/gemini/chat-to-gemini";
import { geminiToChat } from "../../translate/gemini/gemini-to-chat";
import { GeminiEventsToChatChunks } from "../../translate/gemini/gemini-stream-to-chat-chunks";
import type { ChatCompletionCall, UpstreamResponse } from "../types";
import { readAhead } from "../read-ahead";
import { translateSse } from "../translated-stream";
import { jsonAnswer } from "../upstream-answer";
import { pickHeaders, type UpstreamAnswer } from "../upstream-http";
import { readJson, refusal } from "./answer";
import { RELAYED_HEADERS, postGemini } from "./api";
import { geminiOpening, httpStatusOf, openAIErrorBody, openAIErrorOf, withRetryAfter } from "./errors";

/**
 * Chat Completions clients on a Gemini channel: the request is translated to generateContent, the
 * answer (JSON, SSE stream or error) back to Chat Completions.
 */

export async function geminiChatCompletions(call: ChatCompletionCall): Promise<UpstreamResponse> {
  const started = Date.now();
  const model = String(call.body.model ?? "");
  let request: Record<string, unknown>;
  try {
    request = chatToGemini(call.body, { model });
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    // The request's fault, not the channel's: a 400 the relay passes on without failing over.
    return jsonAnswer(400, openAIErrorBody(`${error.message} (the channel speaks Gemini's API).`, "invalid_request_error", error.param));
  }

  const answer = await postGemini({
    channel: call.channel,
    model,
    method: call.stream ? "streamGenerateContent" : "generateContent",
    body: JSON.stringify(request),
    signal: call.signal,
    requestId: call.requestId,
  });
  const headers = pickHeaders(answer.headers, RELAYED_HEADERS);
  if (answer.statusCode < 200 || answer.statusCode >= 300) return refusal(answer, headers, call.signal);
  if (!call.stream) return completion(answer, headers, call.signal, model);

  const opening = await readAhead(answer.body, { deadline: started + call.channel.timeoutMs, signal: call.signal, classify: geminiOpening });
  if (opening.error) return jsonAnswer(httpStatusOf(opening.error), openAIErrorOf(opening.error), withRetryAfter(headers, opening.error.retryAfter));
  const options = call.body.stream_options as { include_usage?: unknown } | undefined;
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8" },
    body: chatChunks(opening.body, { includeUsage: options?.include_usage === true, model }),
    discard: () => answer.body.destroy(),
  };
}

async function completion(answer: UpstreamAnswer, headers: Record<string, string>, signal: AbortSignal, model: string): Promise<UpstreamResponse> {
  const read = await readJson(answer, headers, signal);
  return read.failed ?? jsonAnswer(200, JSON.stringify(geminiToChat(read.json, { model })), headers);
}

/**
 * Gemini events → `data: <chunk>` events as each arrives; when the body ends after a finishReason,
 * the finish and usage chunks and `data: [DONE]`. An error event throws (GeminiStreamError); a
 * stream cut off before a finishReason ends without [DONE], so the pipeline sees it was cut short.
 */
export function chatChunks(events: AsyncIterable<Uint8Array>, options: { includeUsage: boolean; model?: string }): AsyncIterable<Uint8Array> {
  const chunks = new GeminiEventsToChatChunks(options);
  const encode = (out: unknown[]) => out.map((chunk) => sseEvent(JSON.stringify(chunk)));
  return translateSse(events, {
    push: (event) => encode(chunks.push(event)),
    end: () => (chunks.finished ? [...encode(chunks.finish()), sseEvent(SSE_DONE)] : []),
  });
}
