/**
 * The server (server/index.ts) overwrites this header on every request with the client's address
 * (clientAddressFrom below), so code behind it can rely on it.
 */
export const CLIENT_IP_HEADER = "x-rootapi-client-ip";

/**
 * How many reverse proxies in front of this server append to X-Forwarded-For: TRUST_PROXY=<hops>.
 * "true" stays accepted and means one; unset, "0", "false" or anything unreadable means none, so a
 * typo never starts trusting a header the client controls.
 */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const value = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (value === "true") return 1;
  if (!/^\d{1,2}$/.test(value)) return 0;
  return Number(value);
}

/**
 * The client's address. Each trusted proxy appends the address it received the request from, so
 * the entries a client can forge are on the left: the answer is the entry `trustedHops` from the
 * right (counting the socket's peer as the nearest proxy). With fewer entries than hops, the
 * leftmost one is the best there is; with no trusted hops the header is ignored entirely.
 */
export function clientAddressFrom(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const peer = socketAddress || "unknown";
  if (trustedHops <= 0 || forwardedFor === undefined) return peer;
  // Several X-Forwarded-For headers are one list, in order (RFC 7230 §3.2.2).
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!hops.length) return peer;
  // The socket peer is the first trusted proxy; hops[length - 1] is what it saw, and so on leftwards.
  return hops[Math.max(0, hops.length - trustedHops)]!;
}
