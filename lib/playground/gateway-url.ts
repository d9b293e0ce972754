import { publicOrigin } from "../http/base-url";

/**
 * Where the playground sends its /v1 calls: this server itself, by the shortest way.
 *
 * 1. `ROOTAPI_INTERNAL_URL` when set (e.g. `http://rootapi:3000` between containers, or when the
 *    process listens on a unix socket behind a proxy): the operator knows best.
 * 2. Otherwise the loopback address of the port this process listens on (`PORT`, default 3000;
 *    the interface from `HOST` when it names one). The custom server is plain HTTP and answers
 *    /v1 itself, so the call never leaves the machine: no TLS, no reverse proxy (which may not
 *    route back to itself, may add auth, rate limits or request timeouts that cut long streams),
 *    no public DNS, and PUBLIC_URL may be an address this host cannot even reach.
 * 3. `PORT=0` (a free port picked at start, as the tests do) cannot be known from here: then the
 *    request's own origin (publicOrigin(): PUBLIC_URL, else the Host the request came in on).
 */
export async function gatewayOrigin(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.ROOTAPI_INTERNAL_URL?.trim();
  if (explicit) return explicit.replace(/\/+$/, "").replace(/\/v1$/, "");
  const port = env.PORT?.trim() || "3000";
  if (port !== "0" && /^\d+$/.test(port)) return `http://${loopbackHost(env.HOST)}:${port}`;
  return publicOrigin();
}

/** The host to reach a server bound to `host`: a wildcard bind is reached on the loopback address. */
export function loopbackHost(host: string | undefined): string {
  const value = host?.trim();
  if (!value || value === "0.0.0.0" || value === "::" || value === "[::]") return "127.0.0.1";
  return value.includes(":") && !value.startsWith("[") ? `[${value}]` : value;
}
