/**
 * Splits a byte stream of server-sent events into whole events without copying more than needed:
 * chunks are scanned for the blank line that ends an event ("\n\n" or "\r\n\r\n"). Each event is
 * returned as its raw bytes so a relay can pass it on unchanged.
 */
const LF = 0x0a;
const CR = 0x0d;

export class SseSplitter {
  private pending: Uint8Array = new Uint8Array(0);

  /** Returns the complete events contained in what has arrived so far (each includes its terminator). */
  push(chunk: Uint8Array): Uint8Array[] {
    const data = this.pending.length ? concat(this.pending, chunk) : chunk;
    const events: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== LF) continue;
      // "\n\n" or "\n\r\n" ends an event.
      const next = data[i + 1];
      let end = -1;
      if (next === LF) end = i + 2;
      else if (next === CR && data[i + 2] === LF) end = i + 3;
      if (end === -1) continue;
      events.push(data.subarray(start, end));
      start = end;
      i = end - 1;
    }
    this.pending = start < data.length ? data.slice(start) : new Uint8Array(0);
    return events;
  }

  /** Whatever is left when the stream ends (an unterminated last event), if anything. */
  flush(): Uint8Array | null {
    const rest = this.pending;
    this.pending = new Uint8Array(0);
    return rest.length ? rest : null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const decoder = new TextDecoder();

/** The joined `data:` field of one event, or null if it has none. */
export function sseData(event: Uint8Array): string | null {
  const text = decoder.decode(event);
  let data: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

const encoder = new TextEncoder();

export function sseEvent(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}

export const SSE_DONE = "[DONE]";
