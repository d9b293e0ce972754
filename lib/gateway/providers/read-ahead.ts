import { SseSplitter, sseData } from "../http/sse";
import { UpstreamConnectionError } from "./types";
import { toConnectionError, type UpstreamAnswer } from "./upstream-http";

/**
 * Some upstreams (Anthropic, Gemini) may answer a stream with HTTP 200 and then send an error
 * event before any content. Relayed as it is, that would commit the client to a failed stream that
 * another channel could have served. So the opening of a stream is read ahead, up to its first
 * event that is not a preamble: an error there is returned as such (the provider turns it into a
 * non-2xx answer the relay fails over on); otherwise the body is replayed from its first byte. The
 * read-ahead is bounded in size and by the channel's timeout, counted from the request: the wait
 * for the answer to start.
 */

/** More than any stream's opening events; a stream still silent after this much is passed on. */
export const READ_AHEAD_LIMIT = 64 * 1024;

/** What one opening event (its `data:`) is: before the answer proper, the answer itself, or an error. */
export type Opening<E> = "preamble" | "content" | { error: E };

export type ReadAhead<E> = { error: E; body?: undefined } | { error?: undefined; body: AsyncIterable<Uint8Array> };

class ReadAheadTimeout extends Error {}

export interface ReadAheadOptions<E> {
  /** A Date.now() after which the upstream counts as timed out (an UpstreamConnectionError of kind "timeout"). */
  deadline: number;
  /** The call's. */
  signal: AbortSignal;
  classify: (data: string) => Opening<E>;
  limit?: number;
}

export async function readAhead<E>(body: UpstreamAnswer["body"], options: ReadAheadOptions<E>): Promise<ReadAhead<E>> {
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
        const opening = options.classify(data);
        if (opening === "preamble") continue;
        if (opening !== "content") {
          body.destroy();
          return opening;
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
    // Left early (the client went away): release the connection.
    if (!finished) await iterator.return?.();
  }
}
