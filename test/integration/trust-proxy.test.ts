import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/databases";
import { PortalClient } from "../helpers/portal-client";
import { startServer, type RunningServer } from "../helpers/server";

/**
 * Behind one proxy (TRUST_PROXY=1) the client address is the rightmost X-Forwarded-For entry — the
 * one the proxy wrote. The leftmost entries are the client's own words: rotating them must not
 * escape the sign-in lock (it did when the leftmost entry was taken).
 */
describe("client address behind TRUST_PROXY hops", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase("sqlite");
    drop = database.drop;
    server = await startServer(database.url, { TRUST_PROXY: "1" });
    expect((await new PortalClient(server.url).signUp("owner@corp.test", "the right password")).status).toBe(201);
  });

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  /** A credentials sign-in as it arrives through the proxy; returns next-auth's error code, or null. */
  async function signIn(forwardedFor: string, password: string): Promise<string | null> {
    const client = new PortalClient(server.url);
    const headers = { "x-forwarded-for": forwardedFor };
    const { csrfToken } = (await (await client.request("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
    const response = await client.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "owner@corp.test", password, csrfToken, callbackUrl: "/dashboard" }),
    });
    const location = new URL(response.headers.get("location") ?? "/", server.url);
    return location.searchParams.get("code") ?? location.searchParams.get("error");
  }

  it("locks the address the proxy saw, whatever the client writes to the left of it", async () => {
    for (let i = 0; i < 5; i++) expect(await signIn(`10.9.0.${i}, 203.0.113.7`, `guess ${i}`)).toBe("invalid_credentials");
    expect(await signIn("10.9.9.9, 203.0.113.7", "another guess")).toBe("too_many_attempts");
    // The owner, at another address, is not locked out.
    expect(await signIn("203.0.113.8", "the right password")).toBeNull();
  });
});
