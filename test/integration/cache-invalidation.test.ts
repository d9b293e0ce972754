import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { createUser } from "@/lib/users/users";
import { GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";

/**
 * The portal's changes reach /v1 at once through invalidation, not seconds later through the
 * caches' expiry: the portal's route handlers (Next's bundle) and /v1 (the custom server's bundle)
 * load the gateway modules separately, and must share one catalog and one key cache.
 */
describe("portal changes reach /v1 at once", () => {
  const world = new GatewayWorld();
  let admin: PortalClient;

  beforeAll(async () => {
    await world.setUp("sqlite");
    await world.start();
    await createUser(world.db, { email: "cache-admin@example.com", password: "long enough pw", admin: true });
    admin = new PortalClient(world.server.url);
    expect(await admin.signIn("cache-admin@example.com", "long enough pw")).toBeNull();
  });

  afterAll(() => world.tearDown());

  it("bills a price changed in the admin console from the very next call", async () => {
    const { apiKey } = await world.user(10_000_000n);
    const client = world.client(apiKey);
    const free = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "hello" }] });
    expect((await world.logOf(free._request_id!)).cost).toBe(0n);
    // The catalog was loaded just now: without the invalidation the old price would hold for seconds.
    expect((await admin.json("/api/admin/prices/sandbox-chat", "PATCH", { inputUsd: "1000", outputUsd: "1000" })).status).toBe(200);
    const paid = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "hello" }] });
    const row = await world.logOf(paid._request_id!);
    expect(row.cost).toBe(BigInt(row.promptTokens + row.completionTokens) * 1000n);
  });

  it("refuses a key revoked in the portal from the very next call", async () => {
    const { user, apiKey, keyId } = await world.user(10_000_000n);
    const client = world.client(apiKey);
    await client.models.list();
    const owner = new PortalClient(world.server.url);
    expect(await owner.signIn(user.email, "long enough pw")).toBeNull();
    expect((await owner.request(`/api/keys/${keyId}`, { method: "DELETE" })).status).toBeLessThan(300);
    const refused = await client.models.list().catch((e) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(refused.message).toContain("revoked");
  });
});
