import { Agent, errors, request } from "undici";
import { UpstreamConnectionError, type ChatCompletionCall, type Provider, type ResponsesCall, type UpstreamResponse } from "./types";

/**
 * Any OpenAI-compatible server: OpenAI itself, DeepSeek, Groq, vLLM, Ollama, llama.cpp's server,
 * LM Studio… The request body is forwarded as the client sent it (the pipeline only maps the model
 * name and asks for stream usage) and the answer's bytes come back untouched.
 */

// One keep-alive pool per upstream origin, shared by every request.
const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 512 });

/** Headers of the upstream answer that mean something to the client. */
const RELAYED_HEADERS = ["content-type", "openai-processing-ms", "openai-version", "retry-after"];

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

export async function postJson(call: ChatCompletionCall | ResponsesCall, path: string, extraHeaders: Record<string, string> = {}): Promise<UpstreamResponse> {
  const { channel } = call;
  if (!channel.baseUrl) throw new UpstreamConnectionError(`Channel "${channel.name}" has no base URL`, "connect");
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: call.stream ? "text/event-stream" : "application/json",
    "x-request-id": call.requestId,
    ...((channel.config?.headers as Record<string, string> | undefined) ?? {}),
    ...extraHeaders,
  };
  if (channel.apiKey) headers.authorization = `Bearer ${channel.apiKey}`;
  try {
    const response = await request(joinUrl(channel.baseUrl, path), {
      method: "POST",
      headers,
      body: ("rawBody" in call && call.rawBody) || JSON.stringify(call.body),
      signal: call.signal,
      dispatcher,
      headersTimeout: channel.timeoutMs,
      // Between two chunks of a stream; reasoning models can think silently for a long time.
      bodyTimeout: channel.timeoutMs,
    });
    const relayed: Record<string, string> = {};
    for (const name of RELAYED_HEADERS) {
      const value = response.headers[name];
      if (typeof value === "string") relayed[name] = value;
    }
    return { status: response.statusCode, headers: relayed, body: response.body, discard: () => response.body.destroy() };
  } catch (error) {
    throw toConnectionError(error, call.signal);
  }
}

function toConnectionError(error: unknown, signal: AbortSignal): UpstreamConnectionError {
  if (signal.aborted) return new UpstreamConnectionError("request aborted", "aborted");
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.ConnectTimeoutError) {
    return new UpstreamConnectionError(error.message, "timeout");
  }
  const code = (error as { code?: string }).code;
  return new UpstreamConnectionError(`${(error as Error).message || "connection failed"}${code ? ` (${code})` : ""}`, "connect");
}

export const openaiProvider: Provider = {
  type: "openai",
  needsBaseUrl: true,
  // undici's headersTimeout (the channel's timeout) covers the wait for the answer to start.
  timesOut: true,
  chatCompletions: (call) => postJson(call, "/chat/completions"),
  responses: (call) => postJson(call, "/responses"),
};
