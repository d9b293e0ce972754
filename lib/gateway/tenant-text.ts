import { channelSecrets, redactUpstreamText, type ChannelIdentity } from "./redact";

/**
 * The exact strings to cut from upstream texts: every routed channel's key, name and address,
 * remembered as the catalog loads them. A text cannot always be tied to the channel that wrote it
 * (a proxy upstream may echo another channel's key), so all of them are cut everywhere. Old values
 * stay after a key is rotated or a channel disabled: an answer still in flight may carry them.
 */
let known: readonly string[] = [];

export function rememberChannelSecrets(channels: readonly ChannelIdentity[]): void {
  const fresh = channels.flatMap(channelSecrets);
  if (fresh.every((s) => known.includes(s))) return;
  known = [...new Set([...known, ...fresh])];
}

/** An upstream-written text made fit for a tenant's eyes (their response and their request log). */
export function tenantText(text: string): string {
  return redactUpstreamText(text, known);
}

/** An upstream body (JSON or text) made fit for a tenant; the same bytes when nothing needed cutting. */
export function tenantBytes(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const safe = tenantText(text);
  return safe === text ? bytes : Buffer.from(safe, "utf8");
}
