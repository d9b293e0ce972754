import { channelSecrets, redactUpstreamText, type ChannelIdentity } from "./redact";

/**
 * The exact strings to cut from upstream texts: every routed channel's key, name and address,
 * remembered as the catalog loads them. A text cannot always be tied to the channel that wrote it
 * (a proxy upstream may echo another channel's key), so all of them are cut everywhere. Old values
 * stay after a key is rotated or a channel disabled: an answer still in flight may carry them.
 */
// On globalThis, like the catalog that fills it: the portal's bundle may load the shared catalog,
// and /v1's copy of this module must still know what to cut.
const holder = globalThis as typeof globalThis & { __rootapiChannelSecrets?: { known: readonly string[] } };
const secrets = (holder.__rootapiChannelSecrets ??= { known: [] });

export function rememberChannelSecrets(channels: readonly ChannelIdentity[]): void {
  const fresh = channels.flatMap(channelSecrets);
  if (fresh.every((s) => secrets.known.includes(s))) return;
  secrets.known = [...new Set([...secrets.known, ...fresh])];
}

/** An upstream-written text made fit for a tenant's eyes (their response and their request log). */
export function tenantText(text: string): string {
  return redactUpstreamText(text, secrets.known);
}

/** A JSON value from an upstream (an error object) with every string in it made fit for a tenant. */
export function tenantJson<T>(value: T): T {
  const text = JSON.stringify(value);
  const safe = tenantText(text);
  if (safe === text) return value;
  try {
    return JSON.parse(safe) as T;
  } catch {
    return { message: tenantText(String((value as { message?: unknown })?.message ?? "")) } as T;
  }
}

/** An upstream body (JSON or text) made fit for a tenant; the same bytes when nothing needed cutting. */
export function tenantBytes(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const safe = tenantText(text);
  return safe === text ? bytes : Buffer.from(safe, "utf8");
}

// An OpenAI-style error event in a relayed stream: `data: {"error": …}` (Chat Completions) or
// `event: error` / `"type":"error"` (Responses). Only the head of each event is looked at.
const ERROR_EVENT_HEAD = /^(?:event:\s*error\b|(?:event:[^\n]*\n)?data:\s*\{\s*"(?:error"|type"\s*:\s*"error"))/;
const HEAD_BYTES = 48;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * A relayed SSE event, with the upstream's text made fit for a tenant when it is an error event.
 * Other events (the model's output) pass as the same bytes, unread beyond their first few bytes.
 */
export function tenantSseEvent(event: Uint8Array): Uint8Array {
  if (!headMentionsError(event) || !ERROR_EVENT_HEAD.test(decoder.decode(event.subarray(0, HEAD_BYTES)))) return event;
  const text = decoder.decode(event);
  const safe = tenantText(text);
  return safe === text ? event : encoder.encode(safe);
}

const ERROR_BYTES = [0x65, 0x72, 0x72, 0x6f, 0x72]; // "error"

/** Whether "error" occurs in the event's head: a byte scan, so the stream's hot path decodes nothing. */
function headMentionsError(event: Uint8Array): boolean {
  const end = Math.min(event.length, HEAD_BYTES) - ERROR_BYTES.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < ERROR_BYTES.length; j++) if (event[i + j] !== ERROR_BYTES[j]) continue outer;
    return true;
  }
  return false;
}
