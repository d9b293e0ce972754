/**
 * How this server reaches its own /v1 (docs "Try it", the playground). Never from the request:
 * Host and X-Forwarded-Host are the client's to write, and a signed-in user could otherwise make
 * the server send their key to any address. In order:
 *
 * 1. `ROOTAPI_INTERNAL_URL` when set (e.g. `http://rootapi:3000` between containers, or when the
 *    process sits behind a unix socket): the operator knows best.
 * 2. The address the server actually bound, recorded after listen (setSelfUrl) — this is what makes
 *    `PORT=0` work.
 * 3. The loopback address of `PORT` (default 3000) when it names a fixed port.
 *
 * Plain HTTP on the loopback: the call never leaves the machine, no TLS, no reverse proxy that may
 * not route back to itself or may cut long streams, and PUBLIC_URL may not even be reachable here.
 */

// On globalThis: the custom server sets it, and Next's bundles hold their own copy of this module.
const SELF_URL = Symbol.for("rootapi.selfUrl");
type WithSelfUrl = typeof globalThis & { [SELF_URL]?: string };

export function setSelfUrl(url: string): void {
  (globalThis as WithSelfUrl)[SELF_URL] = url.replace(/\/+$/, "");
}

/** The server's own origin (no trailing slash, no /v1). Throws when it cannot be known. */
export function selfUrl(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.ROOTAPI_INTERNAL_URL?.trim();
  if (explicit) return explicit.replace(/\/+$/, "").replace(/\/v1$/, "");
  const bound = (globalThis as WithSelfUrl)[SELF_URL];
  if (bound) return bound;
  const port = env.PORT?.trim() || "3000";
  if (/^\d+$/.test(port) && Number(port) > 0) return `http://${loopbackHost(env.HOST)}:${port}`;
  throw new Error("This server's own address is unknown (PORT=0 and nothing recorded it): set ROOTAPI_INTERNAL_URL.");
}

/** The host to reach a server bound to `host`: a wildcard bind is reached on the loopback address. */
export function loopbackHost(host: string | undefined): string {
  const value = host?.trim();
  if (!value || value === "0.0.0.0" || value === "::" || value === "[::]") return "127.0.0.1";
  return value.includes(":") && !value.startsWith("[") ? `[${value}]` : value;
}
