import type { UpstreamResponse } from "../types";

const encoder = new TextEncoder();

/** An answer made here rather than relayed (a translated body, or an error read from a stream). */
export function jsonAnswer(status: number, body: string | Uint8Array, headers: Record<string, string> = {}): UpstreamResponse {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  return {
    status,
    headers: { ...headers, "content-type": "application/json" },
    body: (async function* () {
      yield bytes;
    })(),
    discard: () => {},
  };
}
