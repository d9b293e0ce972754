import { readAll } from "../http/upstream-body";
import type { UpstreamResponse } from "./types";
import { toConnectionError, type UpstreamAnswer } from "./upstream-http";

/** Reading the answers of upstreams whose bodies are translated rather than relayed. */

const encoder = new TextEncoder();

/** Error bodies are read for their message only. */
const ERROR_BODY_LIMIT = 64 * 1024;

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

/** The whole body; a failure while reading it is the upstream's (a connection error). */
export async function readBody(answer: UpstreamAnswer, signal: AbortSignal): Promise<Uint8Array> {
  try {
    return await readAll(answer.body);
  } catch (error) {
    answer.body.destroy();
    throw toConnectionError(error, signal);
  }
}

/** The start of an error body (enough for its message); the rest is not waited for. */
export async function readErrorBody(answer: UpstreamAnswer, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of answer.body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= ERROR_BODY_LIMIT) break;
    }
  } catch (error) {
    throw toConnectionError(error, signal);
  } finally {
    answer.body.destroy();
  }
  return Buffer.concat(chunks);
}
