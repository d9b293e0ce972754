import { readAll } from "../../http/upstream-body";
import { jsonAnswer } from "../upstream-answer";
import { repairedChatBody } from "./repair";
import { channelHeaders, joinUrl, pickHeaders, postUpstream } from "../upstream-http";
import { UpstreamConnectionError, type ChatCompletionCall, type EmbeddingsCall, type Provider, type ResponsesCall, type UpstreamResponse } from "../types";

/**
 * Any OpenAI-compatible server: OpenAI itself, DeepSeek, Groq, vLLM, Ollama, llama.cpp's server,
 * LM Studio… The request body is forwarded as the client sent it (the pipeline only maps the model
 * name and asks for stream usage) and the answer's bytes come back untouched.
 */

/** Headers of the upstream answer that mean something to the client. */
const RELAYED_HEADERS = ["content-type", "openai-processing-ms", "openai-version", "retry-after"];

export async function postJson(call: ChatCompletionCall | ResponsesCall | EmbeddingsCall, path: string, extraHeaders: Record<string, string> = {}): Promise<UpstreamResponse> {
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

/** How many times a translated request is adjusted and sent again after a 400 naming a parameter. */
const MAX_REPAIRS = 3;

async function chatCompletions(call: ChatCompletionCall): Promise<UpstreamResponse> {
  let response = await postJson(call, "/chat/completions");
  let body = call.body;
  for (let repairs = 0; call.translated && response.status === 400 && repairs < MAX_REPAIRS; repairs++) {
    const bytes = await readAll(response.body, 1024 * 1024);
    const repaired = repairedChatBody(body, bytes);
    if (!repaired) return jsonAnswer(response.status, bytes, response.headers);
    body = repaired;
    response = await postJson({ ...call, body, rawBody: undefined }, "/chat/completions");
  }
  return response;
}

export const openaiProvider: Provider = {
  type: "openai",
  needsBaseUrl: true,
  // undici's headersTimeout (the channel's timeout) covers the wait for the answer to start.
  timesOut: true,
  chatCompletions,
  responses: (call) => postJson(call, "/responses"),
  // The client's bytes (model unchanged) go up as sent; the answer, base64 vectors included, comes back unchanged.
  embeddings: (call) => postJson(call, "/embeddings"),
};
