import { Agent, errors, request } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import { UpstreamConnectionError, type ChannelConfig } from "./types";
import { upstreamTraceHeaders } from "../../observability/tracing";

/**
 * The HTTP side every adapter that calls a remote upstream shares: one keep-alive pool, one way to
 * POST with the channel's timeout, and one mapping of failures before an answer to
 * UpstreamConnectionError (which the relay fails over on).
 */

// One keep-alive pool per upstream origin, shared by every request. No cap on its connections: over
// HTTP/1.1 every stream in flight holds one for its whole length, and a gateway holds thousands of
// long streams at once — a cap would queue new requests behind streams that last a minute
// (`npm run bench -- --streams`). Each one is matched by a client connection anyway.
const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: null });

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

/** The extra headers an operator configured on the channel (`config.headers`), if any. */
export function channelHeaders(channel: ChannelConfig): Record<string, string> {
  return (channel.config?.headers as Record<string, string> | undefined) ?? {};
}

export interface UpstreamPost {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  signal: AbortSignal;
  /** The channel's timeout: for the answer's headers, then between two chunks of its body. */
  timeoutMs: number;
}

export type UpstreamAnswer = Awaited<ReturnType<typeof request>>;

/**
 * POSTs and returns once the answer's headers arrived; failures before that are connection errors.
 * Every upstream call goes through here, so this is where a traced attempt's `traceparent` is added.
 */
export async function postUpstream(post: UpstreamPost): Promise<UpstreamAnswer> {
  const trace = upstreamTraceHeaders();
  try {
    return await request(post.url, {
      method: "POST",
      headers: trace ? { ...post.headers, ...trace } : post.headers,
      body: post.body,
      signal: post.signal,
      dispatcher,
      headersTimeout: post.timeoutMs,
      // Between two chunks of a stream; reasoning models can think silently for a long time.
      bodyTimeout: post.timeoutMs,
    });
  } catch (error) {
    throw toConnectionError(error, post.signal);
  }
}

/** The named headers (and those starting with one of `prefixes`) of an answer, as plain strings. */
export function pickHeaders(headers: IncomingHttpHeaders, names: readonly string[], prefixes: readonly string[] = []): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === "string") picked[name] = value;
  }
  if (prefixes.length) {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === "string" && prefixes.some((prefix) => name.startsWith(prefix))) picked[name] = value;
    }
  }
  return picked;
}

/** What went wrong talking to the upstream, in the terms the relay fails over on. */
export function toConnectionError(error: unknown, signal: AbortSignal): UpstreamConnectionError {
  if (error instanceof UpstreamConnectionError) return error;
  if (signal.aborted) return new UpstreamConnectionError("request aborted", "aborted");
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.ConnectTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new UpstreamConnectionError(error.message, "timeout");
  }
  const code = (error as { code?: string }).code;
  return new UpstreamConnectionError(`${(error as Error).message || "connection failed"}${code ? ` (${code})` : ""}`, "connect");
}
