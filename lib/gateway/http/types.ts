/**
 * The gateway's view of HTTP, independent of Next.js and node:http: route handlers and the custom
 * server each adapt their request/response objects to these two shapes.
 */
export interface GatewayRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  query: URLSearchParams;
  header(name: string): string | null;
  /** The raw body; rejects with a 413 GatewayError past `limit` bytes. */
  readBody(limit: number): Promise<Uint8Array>;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
}

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  /** A complete body, or a stream of chunks written as they come (never buffered). */
  body: string | Uint8Array | AsyncIterable<Uint8Array> | null;
}

export function gatewayJson(status: number, body: unknown, headers: Record<string, string> = {}): GatewayResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
