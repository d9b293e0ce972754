import { channelHeaders, postUpstream, type UpstreamAnswer } from "../upstream-http";
import type { ChannelConfig } from "../types";

/**
 * Where and how Anthropic's Messages API is called: the URL from the channel's base URL, and the
 * headers (key, API version, betas).
 */

/** The origin Anthropic's SDKs call when ANTHROPIC_BASE_URL is not set; an `anthropic` channel's default. */
export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
/** The API version sent when the client did not name one (the only one Anthropic has published). */
export const ANTHROPIC_VERSION = "2023-06-01";

export const MESSAGES_PATH = "/v1/messages";
export const COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

/** Headers of Anthropic's answers worth relaying (with every `anthropic-ratelimit-*`). */
export const RELAYED_HEADERS = ["content-type", "retry-after", "request-id"];
export const RELAYED_HEADER_PREFIXES = ["anthropic-ratelimit-"];

/**
 * The endpoint URL. The base URL is an origin as the SDKs take it ("https://api.anthropic.com", or a
 * proxy with a path prefix); a trailing slash or a trailing "/v1" given by mistake is tolerated.
 */
export function anthropicUrl(baseUrl: string | null, path: string): string {
  const origin = (baseUrl || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, "").replace(/\/v1$/i, "").replace(/\/+$/, "");
  return `${origin}${path}`;
}

export interface AnthropicPost {
  channel: ChannelConfig;
  path: string;
  body: string | Uint8Array;
  stream: boolean;
  signal: AbortSignal;
  requestId: string;
  /** The client's own `anthropic-version` / `anthropic-beta` (native calls only). */
  clientHeaders?: Record<string, string>;
}

/** A header by name whatever its case. */
function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && value) return value;
  return undefined;
}

/**
 * The request's headers. The channel's own extra headers (config.headers) may override the
 * defaults; the client's API version wins over both, and its betas join any the channel sets.
 * The key goes in `x-api-key`, never in `authorization`.
 */
export function anthropicHeaders(post: Omit<AnthropicPost, "path" | "body">): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: post.stream ? "text/event-stream" : "application/json",
    "anthropic-version": ANTHROPIC_VERSION,
    "x-request-id": post.requestId,
  };
  for (const [name, value] of Object.entries(channelHeaders(post.channel))) headers[name.toLowerCase()] = value;
  const version = header(post.clientHeaders, "anthropic-version");
  if (version) headers["anthropic-version"] = version;
  const betas = [headers["anthropic-beta"], header(post.clientHeaders, "anthropic-beta")].flatMap((value) => (value ? value.split(",") : []));
  const unique = [...new Set(betas.map((beta) => beta.trim()).filter(Boolean))];
  if (unique.length) headers["anthropic-beta"] = unique.join(",");
  if (post.channel.apiKey) headers["x-api-key"] = post.channel.apiKey;
  return headers;
}

export function postAnthropic(post: AnthropicPost): Promise<UpstreamAnswer> {
  return postUpstream({
    url: anthropicUrl(post.channel.baseUrl, post.path),
    headers: anthropicHeaders(post),
    body: post.body,
    signal: post.signal,
    timeoutMs: post.channel.timeoutMs,
  });
}
