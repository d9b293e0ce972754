import { SseSplitter, sseData } from "../../http/sse";
import { UpstreamConnectionError } from "../types";
import { toConnectionError, type UpstreamAnswer } from "../upstream-http";
import { geminiErrorOf, type GeminiError } from "./errors";

/**
 * Gemini may answer a stream with HTTP 200 and then send `data: {"error": …}` (a model overloaded
 * once the stream started, UNAVAILABLE). Relayed as it is, that would commit the client to a failed
 * stream another channel could have served. So the stream's first event is read ahead: an error
 * there is returned as such (the caller answers with its status, which the relay fails over on);
 * otherwise the body is replayed from its first byte. Gemini has no preamble events, so one event
 * is all that is read. The read-ahead is bounded in size and by the channel's timeout, counted from
 * the request.
 */

export const READ_AHEAD_LIMIT = 64 * 1024;

export type ReadAhead = { error: GeminiError; body?: undefined } | { error?: undefined; body: AsyncIterable<Uint8Array> };

class ReadAheadTimeout extends Error {}

type Body = UpstreamAnswer["body"];

export async function readAhead(body: Body, options: { deadline: number; signal: AbortSignal; limit?: number }): Promise<ReadAhead> {
  const limit = options.limit ?? READ_AHEAD_LIMIT;
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const seen: Uint8Array[] = [];
  const splitter = new SseSplitter();
  let size = 0;
  const timer = setTimeout(() => body.destroy(new ReadAheadTimeout("timed out before the stream started")), Math.max(0, options.deadline - Date.now()));
  try {
    reading: while (size < limit) {
      const next = await iterator.next();
      if (next.done) break;
      seen.push(next.value);
      size += next.value.length;
      for (const raw of splitter.push(next.value)) {
        const data = sseData(raw);
        if (data === null) continue;
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(data);
        } catch {
          // Not JSON: the translation reports it.
        }
        const error = geminiErrorOf(parsed);
        if (error) {
          body.destroy();
          return { error };
        }
        break reading;
      }
    }
  } catch (error) {
    body.destroy();
    if (error instanceof ReadAheadTimeout) throw new UpstreamConnectionError(error.message, "timeout");
    throw toConnectionError(error, options.signal);
  } finally {
    clearTimeout(timer);
  }
  return { body: replay(seen, iterator) };
}

/** What was read ahead, then the rest of the stream. */
async function* replay(seen: Uint8Array[], iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    if (seen.length) yield seen.length === 1 ? seen[0]! : Buffer.concat(seen);
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      yield next.value;
    }
    finished = true;
  } finally {
    if (!finished) await iterator.return?.();
  }
}
