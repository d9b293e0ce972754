import { selfUrl } from "../http/self-url";

export { loopbackHost } from "../http/self-url";

/** Where the playground and the docs' "Try it" send their /v1 calls: this server itself (see self-url.ts). */
export async function gatewayOrigin(env: Record<string, string | undefined> = process.env): Promise<string> {
  return selfUrl(env);
}
