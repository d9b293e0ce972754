import { SseSplitter, sseData } from "../http/sse";

/** Turns one upstream event (its parsed `data:`) into the client's events; `end` runs once the body ended cleanly. */
export interface EventTranslator {
  push(event: unknown): Uint8Array[];
  end?(): Uint8Array[];
}

/**
 * An upstream SSE stream translated event by event as it arrives. An event that is not JSON, or
 * that the translator refuses (an error event), ends the stream with that failure — after what the
 * events before it gave has gone out.
 */
export async function* translateSse(events: AsyncIterable<Uint8Array>, translator: EventTranslator): AsyncGenerator<Uint8Array> {
  const splitter = new SseSplitter();
  const translateAll = (raw: Uint8Array[]): { out: Uint8Array[]; failure?: { error: unknown } } => {
    const out: Uint8Array[] = [];
    for (const event of raw) {
      try {
        const data = sseData(event);
        if (data !== null) out.push(...translator.push(parse(data)));
      } catch (error) {
        return { out, failure: { error } };
      }
    }
    return { out };
  };
  for await (const chunk of events) {
    const { out, failure } = translateAll(splitter.push(chunk));
    if (out.length) yield out.length === 1 ? out[0]! : Buffer.concat(out);
    if (failure) throw failure.error;
  }
  const rest = splitter.flush();
  const { out, failure } = translateAll(rest ? [rest] : []);
  if (!failure && translator.end) out.push(...translator.end());
  if (out.length) yield Buffer.concat(out);
  if (failure) throw failure.error;
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new Error("The upstream sent an event that is not JSON");
  }
}
