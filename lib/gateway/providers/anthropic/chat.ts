import { SSE_DONE, sseEvent } from "../../http/sse";
import { Untranslatable } from "../../translate/hub";
import { chatToMessages } from "../../translate/anthropic/chat-to-messages";
import { messageToChat } from "../../translate/anthropic/message-to-chat";
import { MessageEventsToChatChunks } from "../../translate/anthropic/message-events-to-chat-chunks";
import type { ChatCompletionCall, UpstreamResponse } from "../types";
import { readAhead } from "../read-ahead";
import { translateSse } from "../translated-stream";
import { jsonAnswer, readBody, readErrorBody } from "../upstream-answer";
import { pickHeaders, type UpstreamAnswer } from "../upstream-http";
import { MESSAGES_PATH, RELAYED_HEADERS, RELAYED_HEADER_PREFIXES, postAnthropic } from "./api";
import { anthropicOpening, chatErrorBody, openAIErrorBody, statusOfErrorType } from "./errors";

/**
 * Chat Completions clients on an Anthropic channel: the request is translated to Messages, the
 * answer (JSON, SSE stream or error) back to Chat Completions.
 */

/**
 * max_tokens for a request that sets no limit (Messages requires one). It equals the gateway's
 * default reservation bound (ROOTAPI_DEFAULT_MAX_OUTPUT_TOKENS' default), so such an answer never
 * costs more than was held for it, and every Claude model accepts it (the smallest output limit,
 * Claude 3 Haiku's, is 4,096).
 */
export const DEFAULT_MAX_TOKENS = 4096;

export async function anthropicChatCompletions(call: ChatCompletionCall): Promise<UpstreamResponse> {
  const started = Date.now();
  let request: Record<string, unknown>;
  try {
    request = chatToMessages(call.body, { model: String(call.body.model ?? ""), defaultMaxTokens: DEFAULT_MAX_TOKENS });
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    // The request's fault, not the channel's: a 400 the relay passes on without failing over.
    return jsonAnswer(400, openAIErrorBody(`${error.message} (the channel speaks Anthropic's Messages API).`, "invalid_request_error", error.param));
  }
  if (call.stream) request.stream = true;

  const answer = await postAnthropic({ channel: call.channel, path: MESSAGES_PATH, body: JSON.stringify(request), stream: call.stream, signal: call.signal, requestId: call.requestId });
  const headers = pickHeaders(answer.headers, RELAYED_HEADERS, RELAYED_HEADER_PREFIXES);
  if (answer.statusCode < 200 || answer.statusCode >= 300) return jsonAnswer(answer.statusCode, chatErrorBody(await readErrorBody(answer, call.signal)), headers);
  if (!call.stream) return completion(answer, headers, call.signal);

  const opening = await readAhead(answer.body, { deadline: started + call.channel.timeoutMs, signal: call.signal, classify: anthropicOpening });
  if (opening.error) {
    const { type, message } = opening.error;
    return jsonAnswer(statusOfErrorType(type), openAIErrorBody(message || type, type, null), headers);
  }
  const options = call.body.stream_options as { include_usage?: unknown } | undefined;
  return {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8" },
    body: chatChunks(opening.body, options?.include_usage === true),
    discard: () => answer.body.destroy(),
  };
}

async function completion(answer: UpstreamAnswer, headers: Record<string, string>, signal: AbortSignal): Promise<UpstreamResponse> {
  const bytes = await readBody(answer, signal);
  let message: unknown;
  try {
    message = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return jsonAnswer(502, openAIErrorBody("The upstream answered with a body that is not JSON.", "api_error", null), headers);
  }
  return jsonAnswer(200, JSON.stringify(messageToChat(message)), headers);
}

/**
 * Messages events → `data: <chunk>` events, ending with `data: [DONE]` after message_stop. An
 * `error` event throws (AnthropicStreamError); a stream that ends without message_stop ends without
 * [DONE], so the pipeline sees it was cut short.
 */
export function chatChunks(events: AsyncIterable<Uint8Array>, includeUsage: boolean): AsyncIterable<Uint8Array> {
  const chunks = new MessageEventsToChatChunks({ includeUsage });
  let stopped = false;
  return translateSse(events, {
    push(event) {
      if (stopped) return [];
      const out = chunks.push(event).map((chunk) => sseEvent(JSON.stringify(chunk)));
      if ((event as { type?: unknown } | null)?.type === "message_stop") {
        stopped = true;
        out.push(sseEvent(SSE_DONE));
      }
      return out;
    },
  });
}
