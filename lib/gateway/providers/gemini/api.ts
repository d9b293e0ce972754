import { channelHeaders, postUpstream, type UpstreamAnswer } from "../upstream-http";
import type { ChannelConfig } from "../types";

/**
 * Where and how Gemini's API (the Gemini Developer API's REST surface, v1beta) is called: URLs from
 * the channel's base URL and the model, and the headers. The key goes in `x-goog-api-key`, never in
 * `authorization` or the query string (where it would land in access logs).
 */

/** The origin Google's SDKs call; a `gemini` channel's default base URL. */
export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

/** Headers of Gemini's answers worth relaying. */
export const RELAYED_HEADERS = ["content-type", "retry-after", "x-request-id"];

export type GeminiMethod = "generateContent" | "streamGenerateContent" | "batchEmbedContents";

/**
 * The endpoint URL for a model. The base URL is an origin ("https://generativelanguage.googleapis.com",
 * or a proxy with a path prefix); a trailing slash or a trailing "/v1beta" given by mistake is
 * tolerated. Streams ask for SSE (`alt=sse`); without it Gemini streams one JSON array.
 */
export function geminiUrl(baseUrl: string | null, model: string, method: GeminiMethod): string {
  const origin = (baseUrl || GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, "").replace(/\/v1beta$/i, "").replace(/\/+$/, "");
  const id = encodeURIComponent(model.replace(/^models\//, ""));
  return `${origin}/v1beta/models/${id}:${method}${method === "streamGenerateContent" ? "?alt=sse" : ""}`;
}

export interface GeminiPost {
  channel: ChannelConfig;
  model: string;
  method: GeminiMethod;
  body: string;
  signal: AbortSignal;
  requestId: string;
}

/** The channel's extra headers (config.headers) may override the defaults; the key always wins. */
export function geminiHeaders(post: Pick<GeminiPost, "channel" | "method" | "requestId">): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: post.method === "streamGenerateContent" ? "text/event-stream" : "application/json",
    "x-request-id": post.requestId,
  };
  for (const [name, value] of Object.entries(channelHeaders(post.channel))) headers[name.toLowerCase()] = value;
  delete headers.authorization;
  if (post.channel.apiKey) headers["x-goog-api-key"] = post.channel.apiKey;
  return headers;
}

export function postGemini(post: GeminiPost): Promise<UpstreamAnswer> {
  return postUpstream({
    url: geminiUrl(post.channel.baseUrl, post.model, post.method),
    headers: geminiHeaders(post),
    body: post.body,
    signal: post.signal,
    timeoutMs: post.channel.timeoutMs,
  });
}
