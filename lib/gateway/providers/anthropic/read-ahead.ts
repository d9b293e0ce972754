import { SseSplitter, sseData } from "../../http/sse";
import { UpstreamConnectionError } from "../types";
import { toConnectionError, type UpstreamAnswer } from "../upstream-http";
import { anthropicErrorOf, type AnthropicError } from "./errors";

/**
 * Anthropic may answer a stream with HTTP 200 and then send an `error` event (overloaded_error,
 * say) before any content. Relayed as it is, that would commit the client to a failed stream that
 * another channel could have served. So the opening of a stream is read ahead, up to the first
 * event that is not `message_start` or `ping`: an `error` there is returned as such (the caller
 * turns it into a non-2xx answer the relay fails over on); otherwise the body is replayed from its
 * first byte. The read-ahead is bounded in size and by the channel's timeout, counted from the
 * request: the wait for the answer to start.
 */

/** More than any stream's opening events; a stream still silent after this much is passed on. */
export const READ_AHEAD_LIMIT = 64 * 1024;

/** Events that come before the answer proper; reading on past them is safe. */
const PREAMBLE = new Set(["message_start", "ping"]);

export type ReadAhead = { error: AnthropicError; body?: undefined } | { error?: undefined; body: AsyncIterable<Uint8Array> };

class ReadAheadTimeout extends Error {}

type Body = UpstreamAnswer["body"];

/** The event's `type` (its data's), "" for data that is not JSON, null for an event without data. */
function eventOf(event: Uint8Array): { type: string; data: unknown } | null {
  const data = sseData(event);
  if (data === null) return null;
  try {
    const parsed = JSON.parse(data) as unknown;
    const type = parsed !== null && typeof parsed === "object" && typeof (parsed as { type?: unknown }).type === "string" ? (parsed as { type: string }).type : "";
    return { type, data: parsed };
  } catch {
    return { type: "", data };
  }
}

/**
 * Reads the stream's opening. `deadline` is a Date.now() after which the upstream counts as timed
 * out (an UpstreamConnectionError of kind "timeout"); `signal` is the call's.
 */
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
        const event = eventOf(raw);
        if (!event || PREAMBLE.has(event.type)) continue;
        if (event.type === "error") {
          body.destroy();
          return { error: anthropicErrorOf(event.data) ?? { type: "api_error", message: "The upstream stream failed" } };
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
