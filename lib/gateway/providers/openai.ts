import { channelHeaders, joinUrl, pickHeaders, postUpstream } from "./upstream-http";
import { UpstreamConnectionError, type ChatCompletionCall, type Provider, type ResponsesCall, type UpstreamResponse } from "./types";

/**
 * Any OpenAI-compatible server: OpenAI itself, DeepSeek, Groq, vLLM, Ollama, llama.cpp's server,
 * LM Studio… The request body is forwarded as the client sent it (the pipeline only maps the model
 * name and asks for stream usage) and the answer's bytes come back untouched.
 */

/** Headers of the upstream answer that mean something to the client. */
const RELAYED_HEADERS = ["content-type", "openai-processing-ms", "openai-version", "retry-after"];

export async function postJson(call: ChatCompletionCall | ResponsesCall, path: string, extraHeaders: Record<string, string> = {}): Promise<UpstreamResponse> {
  const { channel } = call;
  if (!channel.baseUrl) throw new UpstreamConnectionError(`Channel "${channel.name}" has no base URL`, "connect");
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: call.stream ? "text/event-stream" : "application/json",
    "x-request-id": call.requestId,
    ...channelHeaders(channel),
    ...extraHeaders,
  };
  if (channel.apiKey) headers.authorization = `Bearer ${channel.apiKey}`;
  const response = await postUpstream({
    url: joinUrl(channel.baseUrl, path),
    headers,
    body: ("rawBody" in call && call.rawBody) || JSON.stringify(call.body),
    signal: call.signal,
    timeoutMs: channel.timeoutMs,
  });
  return { status: response.statusCode, headers: pickHeaders(response.headers, RELAYED_HEADERS), body: response.body, discard: () => response.body.destroy() };
}

export const openaiProvider: Provider = {
  type: "openai",
  needsBaseUrl: true,
  // undici's headersTimeout (the channel's timeout) covers the wait for the answer to start.
  timesOut: true,
  chatCompletions: (call) => postJson(call, "/chat/completions"),
  responses: (call) => postJson(call, "/responses"),
};
