import { SSE_DONE, SseSplitter, sseData, sseEvent } from "../../http/sse";
import { readAll } from "../../http/upstream-body";
import { Untranslatable } from "../../translate/hub";
import { chatToGemini } from "../../translate/gemini/chat-to-gemini";
import { geminiToChat } from "../../translate/gemini/gemini-to-chat";
import { GeminiEventsToChatChunks } from "../../translate/gemini/gemini-stream-to-chat-chunks";
import { jsonAnswer } from "../anthropic/answer";
import type { ChatCompletionCall, UpstreamResponse } from "../types";
import { pickHeaders, toConnectionError, type UpstreamAnswer } from "../upstream-http";
import { RELAYED_HEADERS, postGemini } from "./api";
import { chatError, geminiErrorOf, httpStatusOf, openAIErrorBody, openAIErrorOf, withRetryAfter } from "./errors";
import { readAhead } from "./read-ahead";

/**
 * Chat Completions clients on a Gemini channel: the request is translated to generateContent, the
 * answer (JSON, SSE stream or error) back to Chat Completions.
 */

/** Error bodies are read for their message only. */
const ERROR_BODY_LIMIT = 64 * 1024;

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
  if (answer.statusCode < 200 || answer.statusCode >= 300) {
    const error = chatError(answer.statusCode, await readErrorBody(answer, call.signal));
    return jsonAnswer(error.status, error.body, withRetryAfter(headers, error.retryAfter));
  }
  if (!call.stream) return completion(answer, headers, call.signal, model);

  const opening = await readAhead(answer.body, { deadline: started + call.channel.timeoutMs, signal: call.signal });
  if (opening.error) return jsonAnswer(httpStatusOf(opening.error), openAIErrorOf(opening.error), withRetryAfter(headers, opening.error.retryAfter));
  const options = call.body.stream_options as { include_usage?: unknown } | undefined;
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8" },
    body: chatChunks(opening.body, { includeUsage: options?.include_usage === true, model }),
    discard: () => answer.body.destroy(),
  };
}

export async function readBody(answer: UpstreamAnswer, signal: AbortSignal): Promise<Uint8Array> {
  try {
    return await readAll(answer.body);
  } catch (error) {
    answer.body.destroy();
    throw toConnectionError(error, signal);
  }
}

/** The start of an error body (enough for its message); the rest is not waited for. */
export async function readErrorBody(answer: UpstreamAnswer, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of answer.body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_BODY_LIMIT) break;
    }
  } catch (error) {
    throw toConnectionError(error, signal);
  } finally {
    answer.body.destroy();
  }
  return Buffer.concat(chunks);
}

/** A JSON answer; a 200 whose body is an error answers with that error's status (so the relay may fail over). */
async function completion(answer: UpstreamAnswer, headers: Record<string, string>, signal: AbortSignal, model: string): Promise<UpstreamResponse> {
  const bytes = await readBody(answer, signal);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return jsonAnswer(502, openAIErrorBody("The upstream answered with a body that is not JSON.", "api_error", null), headers);
  }
  const error = geminiErrorOf(parsed);
  if (error) return jsonAnswer(httpStatusOf(error), openAIErrorOf(error), withRetryAfter(headers, error.retryAfter));
  return jsonAnswer(200, JSON.stringify(geminiToChat(parsed, { model })), headers);
}

/**
 * Gemini events → `data: <chunk>` events as each arrives; when the body ends after a finishReason,
 * the finish and usage chunks and `data: [DONE]`. An error event throws (GeminiStreamError); a
 * stream cut off before a finishReason ends without [DONE], so the pipeline sees it was cut short.
 */
export async function* chatChunks(events: AsyncIterable<Uint8Array>, options: { includeUsage: boolean; model?: string }): AsyncGenerator<Uint8Array> {
  const splitter = new SseSplitter();
  const chunks = new GeminiEventsToChatChunks(options);
  const translate = (event: Uint8Array): Uint8Array[] => {
    const data = sseData(event);
    if (data === null) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new Error("The upstream sent an event that is not JSON");
    }
    return chunks.push(parsed).map((chunk) => sseEvent(JSON.stringify(chunk)));
  };
  // What the events before a failing one gave still goes out, then the failure.
  const translateAll = (raw: Uint8Array[]): { out: Uint8Array[]; failure?: { error: unknown } } => {
    const out: Uint8Array[] = [];
    for (const event of raw) {
      try {
        out.push(...translate(event));
      } catch (error) {
        return { out, failure: { error } };
      }
    }
    return { out };
  };
  for await (const chunk of events) {
    const { out, failure } = translateAll(splitter.push(chunk));
    if (out.length) yield out.length === 1 ? out[0]! : Buffer.concat(out);
    if (failure) throw failure.error;
  }
  const rest = splitter.flush();
  const { out, failure } = translateAll(rest ? [rest] : []);
  if (chunks.finished && !failure) out.push(...chunks.finish().map((chunk) => sseEvent(JSON.stringify(chunk))), sseEvent(SSE_DONE));
  if (out.length) yield Buffer.concat(out);
  if (failure) throw failure.error;
}
