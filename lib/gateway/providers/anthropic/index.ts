import type { MessagesCall, Provider, UpstreamResponse } from "../types";
import { pickHeaders } from "../upstream-http";
import { ANTHROPIC_DEFAULT_BASE_URL, COUNT_TOKENS_PATH, MESSAGES_PATH, RELAYED_HEADERS, RELAYED_HEADER_PREFIXES, postAnthropic } from "./api";
import { anthropicChatCompletions } from "./chat";
import { anthropicErrorBody, anthropicOpening, statusOfErrorType } from "./errors";
import { readAhead } from "../read-ahead";
import { jsonAnswer } from "../upstream-answer";

/**
 * Anthropic's Messages API (api.anthropic.com, or anything that speaks it at an origin given as the
 * channel's base URL). Messages clients are relayed natively, bytes unchanged; Chat Completions
 * clients are translated (./chat.ts).
 */

export { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_VERSION } from "./api";
export { DEFAULT_MAX_TOKENS } from "./chat";

/** POSTs the client's Messages body and relays the answer as it comes (streams read ahead for an early error). */
async function native(call: MessagesCall, path: string, stream: boolean): Promise<UpstreamResponse> {
  const started = Date.now();
  const answer = await postAnthropic({
    channel: call.channel,
    path,
    body: call.rawBody ?? JSON.stringify(call.body),
    stream,
    signal: call.signal,
    requestId: call.requestId,
    clientHeaders: call.headers,
  });
  const headers = pickHeaders(answer.headers, RELAYED_HEADERS, RELAYED_HEADER_PREFIXES);
  const discard = () => answer.body.destroy();
  if (!stream || answer.statusCode !== 200) return { status: answer.statusCode, headers, body: answer.body, discard };
  const opening = await readAhead(answer.body, { deadline: started + call.channel.timeoutMs, signal: call.signal, classify: anthropicOpening });
  if (opening.error) {
    return jsonAnswer(statusOfErrorType(opening.error.type), anthropicErrorBody(opening.error), headers);
  }
  return { status: 200, headers, body: opening.body, discard };
}

export const anthropicProvider: Provider = {
  type: "anthropic",
  needsBaseUrl: true,
  defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
  // undici's headersTimeout covers the wait for the answer's headers; the read-ahead of a stream
  // gives up at the same deadline.
  timesOut: true,
  chatCompletions: anthropicChatCompletions,
  messages: (call) => native(call, MESSAGES_PATH, call.stream),
  countTokens: (call) => native(call, COUNT_TOKENS_PATH, false),
};
