import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";

const PASSWORD = "long enough pw";

/** A server that must never hear from the portal: it records whatever reaches it. */
async function startTrap() {
  const hits: Array<{ method?: string; url?: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "trapped" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe("the portal reaches its own /v1 without trusting request headers (PORT=0)", () => {
  const world = new GatewayWorld();
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let client: PortalClient;

  beforeAll(async () => {
    await world.setUp("sqlite");
    trap = await startTrap();
    await world.start();
    client = new PortalClient(world.server.url);
    await client.signUp("self@example.com", PASSWORD);
    expect(await client.signIn("self@example.com", PASSWORD)).toBeNull();
  });

  afterAll(async () => {
    await world.tearDown();
    await trap?.close();
  });

  /** Header sets a client may send to steer where the server calls. */
  const steering = (): Array<Record<string, string>> => [
    { "x-forwarded-host": trap.host },
    { "x-forwarded-host": trap.host, "x-forwarded-proto": "http" },
    { host: trap.host },
    { host: trap.host, "x-forwarded-host": trap.host, "x-forwarded-proto": "http" },
  ];

  it("docs Try it calls this server, never the host the request names", async () => {
    for (const headers of steering()) {
      const response = await client.request("/api/docs/try", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ method: "GET", path: "/v1/models" }),
      });
      const text = await response.text();
      expect(response.status, `${JSON.stringify(headers)}: ${text}`).toBe(200);
      expect(text).toContain("sandbox-chat");
      expect(text).not.toContain("trapped");
    }
    expect(trap.hits).toEqual([]);
  });

  it("the playground calls this server, never the host the request names", async () => {
    for (const headers of steering()) {
      const response = await client.request("/api/playground/chat", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "hello" }] }], model: "sandbox-chat", stream: false, api: "chat" }),
      });
      const text = await response.text();
      expect(response.status, `${JSON.stringify(headers)}: ${text}`).toBe(200);
      expect(text).toContain("text-delta");
    }
    expect(trap.hits).toEqual([]);
  });

  it("a portal write with Origin: null is refused as cross-site, not a 500", async () => {
    for (const origin of ["null", "not a url", "http://[::1"]) {
      const response = await client.request("/api/keys", { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ name: "x" }) });
      expect(response.status, origin).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("cross_site");
    }
  });
});
