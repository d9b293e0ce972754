import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { databaseProviders } from "../helpers/database-matrix";
import { completion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { createUser } from "@/lib/users/users";

const PASSWORD = "correct horse battery";
// The rendered heading, not the bare text: every page also ships the message catalog to the client.
const FORBIDDEN_PAGE = ">403 — administrators only</h2>";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function body(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

/** Calls the gateway until `check` passes (admin changes reach the gateway's caches within 5 s). */
function within5s<T>(check: () => Promise<T>): Promise<T> {
  return eventually(check, 6_000, 200);
}

describe.each(await databaseProviders())("admin console on %s", (provider) => {
  const world = new GatewayWorld();
  let primary: FakeUpstream;
  let backup: FakeUpstream;
  let admin: PortalClient;
  let member: PortalClient;
  let adminId: string;
  let memberId: string;
  let caller: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    primary = await startFakeUpstream(() => ({ kind: "json", body: completion("from primary") }));
    backup = await startFakeUpstream(() => ({ kind: "json", body: completion("from backup") }));
    adminId = (await createUser(world.db, { email: "root@example.com", password: PASSWORD, admin: true })).id;
    memberId = (await createUser(world.db, { email: "member@example.com", password: PASSWORD })).id;
    caller = await world.user(50_000_000n);
    await world.start();
    admin = new PortalClient(world.server.url);
    member = new PortalClient(world.server.url);
    expect(await admin.signIn("root@example.com", PASSWORD)).toBeNull();
    expect(await member.signIn("member@example.com", PASSWORD)).toBeNull();
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([primary, backup].map((u) => u?.close()));
  });

  it("refuses non-admins on every admin route (403 JSON) and page (403 page); anonymous callers get 401", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/api/admin/overview"],
      ["GET", "/api/admin/channels"],
      ["POST", "/api/admin/channels", { name: "x", type: "sandbox", models: "sandbox-x" }],
      ["GET", "/api/admin/channels/some-id"],
      ["PATCH", "/api/admin/channels/some-id", { name: "y" }],
      ["DELETE", "/api/admin/channels/some-id"],
      ["POST", "/api/admin/channels/some-id/status", { status: "DISABLED" }],
      ["POST", "/api/admin/channels/some-id/test"],
      ["GET", "/api/admin/prices"],
      ["POST", "/api/admin/prices", { model: "m", inputUsd: "1", outputUsd: "1" }],
      ["PATCH", "/api/admin/prices/m", { inputUsd: "1", outputUsd: "1" }],
      ["DELETE", "/api/admin/prices/m"],
      ["GET", "/api/admin/users"],
      ["GET", `/api/admin/users/${memberId}`],
      ["PATCH", `/api/admin/users/${memberId}`, { role: "ADMIN" }],
      ["POST", `/api/admin/users/${memberId}/adjust`, { amountUsd: "100", note: "free money" }],
      ["POST", "/api/admin/redemption-codes", { amountUsd: "5" }],
    ];
    const anonymous = new PortalClient(world.server.url);
    for (const [method, path, payload] of routes) {
      const refused = await member.json(path, method, payload);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect((await body(refused)).error).toMatchObject({ code: "forbidden", message: "Administrators only" });
      expect((await anonymous.json(path, method, payload)).status, `anonymous ${method} ${path}`).toBe(401);
    }
    // Nothing happened.
    expect((await world.db.user.findUniqueOrThrow({ where: { id: memberId } })).role).toBe("USER");
    expect(await world.db.ledgerEntry.count({ where: { userId: memberId } })).toBe(0);

    for (const path of ["/admin", "/admin/channels", "/admin/prices", "/admin/users", `/admin/users/${memberId}`]) {
      const page = await member.request(path);
      expect(page.status, path).toBe(200);
      const html = await page.text();
      expect(html, path).toContain(FORBIDDEN_PAGE);
      expect(html, path).not.toContain("member@example.com</a>");
      const redirected = await anonymous.request(path);
      expect(redirected.status, path).toBe(307);
      expect(redirected.headers.get("location"), path).toContain("/sign-in");
    }
  });

  it("serves every admin page to admins, with the sub-navigation and the redemption codes section", async () => {
    for (const [path, text] of [
      ["/admin", "Redemption codes"],
      ["/admin/channels", "sandbox"],
      ["/admin/prices", "sandbox-chat"],
      ["/admin/users", "member@example.com"],
      [`/admin/users/${memberId}`, "Ledger (last 50 entries)"],
    ] as const) {
      const page = await admin.request(path);
      expect(page.status, path).toBe(200);
      const html = await page.text();
      expect(html, path).toContain(text);
      expect(html, path).toContain('aria-label="Admin"');
      expect(html, path).not.toContain(FORBIDDEN_PAGE);
    }
    const missing = await admin.request("/admin/users/does-not-exist");
    expect(missing.status).toBe(200);
    expect(await missing.text()).toContain("User not found");
  });

  it("speaks Simplified Chinese to a Chinese browser, pages and API errors alike, and English otherwise", async () => {
    const zh = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
    for (const [path, heading] of [
      ["/admin", "管理后台"],
      ["/admin/channels", "渠道"],
      ["/admin/prices", "模型价格"],
      ["/admin/users", "用户"],
    ] as const) {
      const html = (await (await admin.request(path, { headers: zh })).text()).replaceAll("<!-- -->", "");
      expect(html, path).toContain(`>${heading}</h1>`);
      expect(html, path).toContain('<html lang="zh-CN"');
    }
    expect((await (await member.request("/admin", { headers: zh })).text())).toContain(">403 — 仅限管理员</h2>");
    const refused = await member.request("/api/admin/users", { headers: zh });
    expect((await body(refused)).error).toMatchObject({ code: "forbidden", message: "仅限管理员" });
    const bad = await admin.request("/api/admin/channels", {
      method: "POST",
      headers: { ...zh, "content-type": "application/json" },
      body: JSON.stringify({ name: "zh-bad", type: "sandbox", models: "m", weight: "0" }),
    });
    expect(bad.status).toBe(400);
    expect((await body(bad)).error).toMatchObject({ code: "invalid_weight", field: "weight", message: "weight 必须为不小于 1 的整数" });
    const english = await admin.json("/api/admin/channels", "POST", { name: "en-bad", type: "sandbox", models: "m", weight: "0" });
    expect((await body(english)).error.message).toBe("weight must be a whole number ≥ 1");
  });

  it("creates and edits channels: the key is encrypted, never returned, and an empty key keeps the stored one", async () => {
    const created = await admin.json("/api/admin/channels", "POST", {
      name: "primary",
      type: "openai",
      baseUrl: `${primary.url}/`,
      apiKey: "sk-upstream-first",
      models: "gpt-admin, gpt-alias",
      modelMapping: "gpt-alias=real-upstream-model",
      priority: "10",
      weight: "2",
      timeoutMs: "30000",
      supportsResponses: false,
    });
    expect(created.status).toBe(201);
    const createdText = await created.text();
    expect(createdText).not.toContain("sk-upstream-first");
    expect(createdText).not.toContain("apiKeyEnc");
    const { data } = JSON.parse(createdText) as Json;
    expect(data).toMatchObject({
      name: "primary",
      type: "openai",
      baseUrl: primary.url,
      hasApiKey: true,
      models: ["gpt-admin", "gpt-alias"],
      modelMapping: { "gpt-alias": "real-upstream-model" },
      priority: 10,
      weight: 2,
      timeoutMs: 30_000,
      status: "ENABLED",
    });
    const stored = await world.db.channel.findUniqueOrThrow({ where: { id: data.id } });
    expect(stored.apiKeyEnc).toMatch(/^v1:/);
    expect(stored.apiKeyEnc).not.toContain("sk-upstream-first");
    expect(decryptSecret(stored.apiKeyEnc!)).toBe("sk-upstream-first");

    // Lists and pages never carry the key or its ciphertext either.
    const list = await (await admin.request("/api/admin/channels")).text();
    const page = await (await admin.request("/admin/channels")).text();
    for (const text of [list, page]) {
      expect(text).toContain("primary");
      expect(text).not.toContain("sk-upstream-first");
      expect(text).not.toContain(stored.apiKeyEnc!);
    }

    // An empty key keeps the stored one (same ciphertext); other fields change.
    const edited = await admin.json(`/api/admin/channels/${data.id}`, "PATCH", { apiKey: "", weight: 3, modelMapping: "", models: "gpt-admin" });
    expect(edited.status).toBe(200);
    expect((await body(edited)).data).toMatchObject({ weight: 3, models: ["gpt-admin"], modelMapping: {}, hasApiKey: true });
    expect((await world.db.channel.findUniqueOrThrow({ where: { id: data.id } })).apiKeyEnc).toBe(stored.apiKeyEnc);

    // A new key is re-encrypted.
    const rekeyed = await admin.json(`/api/admin/channels/${data.id}`, "PATCH", { apiKey: "sk-upstream-second" });
    expect(await rekeyed.text()).not.toContain("sk-upstream-second");
    const after = await world.db.channel.findUniqueOrThrow({ where: { id: data.id } });
    expect(decryptSecret(after.apiKeyEnc!)).toBe("sk-upstream-second");

    // Validation is shared with addChannel; errors are readable and name the field.
    for (const [payload, field] of [
      [{ name: "bad-type", type: "nonsense", models: "m" }, "type"],
      [{ name: "no-url", type: "openai", models: "m" }, "baseUrl"],
      [{ name: "no-models", type: "sandbox", models: " , " }, "models"],
      [{ name: "bad-map", type: "sandbox", models: "sandbox-a", modelMapping: "sandbox-b=x" }, "modelMapping"],
      [{ name: "bad-weight", type: "sandbox", models: "sandbox-a", weight: "0" }, "weight"],
      [{ name: "primary", type: "sandbox", models: "sandbox-a" }, "name"],
    ] as const) {
      const refused = await admin.json("/api/admin/channels", "POST", payload);
      expect(refused.status, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect((await body(refused)).error.field, JSON.stringify(payload)).toBe(field);
    }
    expect((await admin.json("/api/admin/channels/nope", "PATCH", { weight: 2 })).status).toBe(404);
    expect((await admin.json(`/api/admin/channels/${data.id}`, "PATCH", { baseUrl: "ftp://example.com" })).status).toBe(400);
  });

  it("disabling a channel stops routing to it within 5 s; enabling brings it back and clears auto-disable state", async () => {
    const channels = (await body(await admin.request("/api/admin/channels"))).data as Json[];
    const main = channels.find((c) => c.name === "primary")!;
    const second = await body(
      await admin.json("/api/admin/channels", "POST", { name: "backup", type: "openai", baseUrl: backup.url, apiKey: "sk-backup", models: "gpt-admin", priority: 0 }),
    );
    expect((await admin.json("/api/admin/prices", "POST", { model: "gpt-admin", inputUsd: "1", outputUsd: "2" })).status).toBe(201);
    const client = world.client(caller.apiKey);
    const ask = async () => (await client.chat.completions.create({ model: "gpt-admin", messages: [{ role: "user", content: "hi" }] })).choices[0]!.message.content;

    await within5s(async () => expect(await ask()).toBe("from primary"));
    expect(primary.received.at(-1)!.headers.authorization).toBe("Bearer sk-upstream-second");

    const disabled = await admin.json(`/api/admin/channels/${main.id}/status`, "POST", { status: "DISABLED" });
    expect((await body(disabled)).data).toMatchObject({ status: "DISABLED", disabledReason: "Disabled by root@example.com" });
    await within5s(async () => expect(await ask()).toBe("from backup"));
    const primaryCalls = primary.received.length;
    for (let i = 0; i < 3; i++) expect(await ask()).toBe("from backup");
    expect(primary.received.length).toBe(primaryCalls);

    // Both off: the model is not callable at all.
    await admin.json(`/api/admin/channels/${second.data.id}/status`, "POST", { status: "DISABLED" });
    await within5s(async () => {
      const error = await ask().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    });

    // An automatically disabled channel: enabling clears the failure count and reason.
    await world.db.channel.update({ where: { id: main.id }, data: { status: "AUTO_DISABLED", consecutiveFailures: 5, disabledReason: "Disabled automatically after 5 consecutive failures" } });
    const enabled = await body(await admin.json(`/api/admin/channels/${main.id}/status`, "POST", { status: "ENABLED" }));
    expect(enabled.data).toMatchObject({ status: "ENABLED", consecutiveFailures: 0, disabledReason: null });
    await within5s(async () => expect(await ask()).toBe("from primary"));
    expect((await admin.json(`/api/admin/channels/${main.id}/status`, "POST", { status: "AUTO_DISABLED" })).status).toBe(400);
    await admin.json(`/api/admin/channels/${second.data.id}/status`, "POST", { status: "ENABLED" });
  });

  it("tests a channel: ok with latency against a live upstream, the error inline and recorded against a dead one", async () => {
    const channels = (await body(await admin.request("/api/admin/channels"))).data as Json[];
    const main = channels.find((c) => c.name === "primary")!;
    const before = primary.received.length;
    const ok = await admin.json(`/api/admin/channels/${main.id}/test`, "POST");
    expect(ok.status).toBe(200);
    const okBody = await body(ok);
    expect(okBody).toMatchObject({ ok: true, status: 200, error: null });
    expect(okBody.latencyMs).toBeGreaterThanOrEqual(0);
    expect(okBody.data.lastLatencyMs).toBe(okBody.latencyMs);
    expect(okBody.data.lastCheckedAt).not.toBeNull();
    expect(primary.received.length).toBe(before + 1);
    expect(primary.received.at(-1)!.body).toMatchObject({ model: "gpt-admin", max_tokens: 1 });

    const dead = await startFakeUpstream(() => ({ kind: "json", body: completion("never") }));
    await dead.close();
    const created = await body(await admin.json("/api/admin/channels", "POST", { name: "dead", type: "openai", baseUrl: dead.url, models: "gpt-dead" }));
    const failed = await admin.json(`/api/admin/channels/${created.data.id}/test`, "POST");
    expect(failed.status).toBe(200);
    const failedBody = await body(failed);
    expect(failedBody.ok).toBe(false);
    expect(failedBody.error).toEqual(expect.any(String));
    expect(failedBody.error.length).toBeGreaterThan(0);
    expect(failedBody.data).toMatchObject({ lastError: failedBody.error });
    const stored = await world.db.channel.findUniqueOrThrow({ where: { id: created.data.id } });
    expect(stored.lastError).toBe(failedBody.error);
    expect(stored.lastErrorAt).not.toBeNull();
    expect(stored.lastCheckedAt).not.toBeNull();
    expect(stored.status).toBe("ENABLED"); // a test only reports; it does not disable

    // An upstream answering an error status is reported with it.
    const angry = await startFakeUpstream(() => ({ kind: "json", status: 401, body: { error: { message: "Incorrect API key provided" } } }));
    const angryChannel = await body(await admin.json("/api/admin/channels", "POST", { name: "angry", type: "openai", baseUrl: angry.url, apiKey: "wrong", models: "gpt-angry" }));
    const rejected = await body(await admin.json(`/api/admin/channels/${angryChannel.data.id}/test`, "POST"));
    expect(rejected).toMatchObject({ ok: false, status: 401 });
    expect(rejected.error).toContain("Incorrect API key provided");
    await angry.close();
    expect((await admin.json("/api/admin/channels/nope/test", "POST")).status).toBe(404);

    // The channels page shows the recorded error.
    expect(await (await admin.request("/admin/channels")).text()).toContain("Incorrect API key provided");
  });

  it("deletes a channel; its request log rows stay without it", async () => {
    const created = await body(await admin.json("/api/admin/channels", "POST", { name: "doomed", type: "sandbox", models: "sandbox-doomed" }));
    await world.db.requestLog.create({ data: { id: "req_admin_doomed", userId: caller.user.id, channelId: created.data.id, model: "sandbox-doomed", endpoint: "/v1/chat/completions", status: 200 } });
    const deleted = await admin.request(`/api/admin/channels/${created.data.id}`, { method: "DELETE" });
    expect(await body(deleted)).toEqual({ id: created.data.id, deleted: true });
    expect(await world.db.channel.findUnique({ where: { id: created.data.id } })).toBeNull();
    expect((await world.db.requestLog.findUniqueOrThrow({ where: { id: "req_admin_doomed" } })).channelId).toBeNull();
    expect((await admin.request(`/api/admin/channels/${created.data.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("manages prices exactly in USD per 1M tokens and lists the served models that have no price", async () => {
    let prices = await body(await admin.request("/api/admin/prices"));
    const unpriced = (prices.unpriced as Json[]).map((u) => u.model);
    expect(unpriced).toEqual(expect.arrayContaining(["gpt-dead", "gpt-angry"]));
    expect(unpriced).not.toContain("gpt-admin");
    expect(unpriced).not.toContain("sandbox-chat");
    expect(prices.unpriced.find((u: Json) => u.model === "gpt-dead").channels).toEqual(["dead"]);
    expect(await (await admin.request("/admin/prices")).text()).toContain("gpt-dead");

    const created = await admin.json("/api/admin/prices", "POST", { model: "gpt-dead", inputUsd: "0.15", outputUsd: "0.6", cachedInputUsd: "0.075", visible: false, description: "cheap" });
    expect(created.status).toBe(201);
    expect((await body(created)).data).toMatchObject({ model: "gpt-dead", inputPrice: "150000", outputPrice: "600000", cachedInputPrice: "75000", visible: false, description: "cheap" });
    expect(await world.db.modelPrice.findUniqueOrThrow({ where: { model: "gpt-dead" } })).toMatchObject({ inputPrice: 150_000n, outputPrice: 600_000n, cachedInputPrice: 75_000n });
    prices = await body(await admin.request("/api/admin/prices"));
    expect((prices.unpriced as Json[]).map((u) => u.model)).not.toContain("gpt-dead");

    const duplicate = await admin.json("/api/admin/prices", "POST", { model: "gpt-dead", inputUsd: "1", outputUsd: "1" });
    expect(duplicate.status).toBe(409);
    expect((await body(duplicate)).error.code).toBe("price_exists");

    const updated = await admin.json("/api/admin/prices/gpt-dead", "PATCH", { inputUsd: "2.000001", outputUsd: "8", cachedInputUsd: null, visible: true });
    expect((await body(updated)).data).toMatchObject({ inputPrice: "2000001", outputPrice: "8000000", cachedInputPrice: null, visible: true });

    // Model ids with slashes route through the catch-all path.
    expect((await admin.json("/api/admin/prices", "POST", { model: "meta-llama/Llama-3-8B", inputUsd: "0", outputUsd: "0.000001" })).status).toBe(201);
    expect((await body(await admin.json("/api/admin/prices/meta-llama/Llama-3-8B", "PATCH", { inputUsd: "0.2", outputUsd: "0.2" }))).data).toMatchObject({ model: "meta-llama/Llama-3-8B", inputPrice: "200000" });
    expect(await body(await admin.request("/api/admin/prices/meta-llama/Llama-3-8B", { method: "DELETE" }))).toEqual({ model: "meta-llama/Llama-3-8B", deleted: true });

    for (const [payload, field] of [
      [{ model: "x", inputUsd: "-1", outputUsd: "1" }, "inputUsd"],
      [{ model: "x", inputUsd: "1", outputUsd: "0.0000001" }, "outputUsd"],
      [{ model: "x", inputUsd: "abc", outputUsd: "1" }, "inputUsd"],
      [{ model: "x", outputUsd: "1" }, "inputUsd"],
      [{ model: " ", inputUsd: "1", outputUsd: "1" }, "model"],
    ] as const) {
      const refused = await admin.json("/api/admin/prices", "POST", payload);
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      expect((await body(refused)).error.field, JSON.stringify(payload)).toBe(field);
    }
    expect((await admin.json("/api/admin/prices/not-priced", "PATCH", { inputUsd: "1", outputUsd: "1" })).status).toBe(404);

    // Deleting a price makes the model uncallable again and puts it back on the hint list.
    expect((await admin.request("/api/admin/prices/gpt-dead", { method: "DELETE" })).status).toBe(200);
    expect((await admin.request("/api/admin/prices/gpt-dead", { method: "DELETE" })).status).toBe(404);
    prices = await body(await admin.request("/api/admin/prices"));
    expect((prices.unpriced as Json[]).map((u) => u.model)).toContain("gpt-dead");
    expect((prices.data as Json[]).map((p) => p.model)).toEqual(expect.arrayContaining(["gpt-admin", "sandbox-chat"]));
  });

  it("prices prompt-cache writes (5-minute and 1-hour) exactly, shows them, and explains bad ones", async () => {
    const created = await admin.json("/api/admin/prices", "POST", { model: "claude-cache", inputUsd: "3", outputUsd: "15", cachedInputUsd: "0.3", cacheWriteUsd: "3.75", cacheWrite1hUsd: "6.000001" });
    expect(created.status).toBe(201);
    expect((await body(created)).data).toMatchObject({ model: "claude-cache", cachedInputPrice: "300000", cacheWritePrice: "3750000", cacheWrite1hPrice: "6000001" });
    expect(await world.db.modelPrice.findUniqueOrThrow({ where: { model: "claude-cache" } })).toMatchObject({ cacheWritePrice: 3_750_000n, cacheWrite1hPrice: 6_000_001n });
    const listed = (await body(await admin.request("/api/admin/prices"))).data.find((p: Json) => p.model === "claude-cache");
    expect(listed).toMatchObject({ cacheWritePrice: "3750000", cacheWrite1hPrice: "6000001" });

    const page = (await (await admin.request("/admin/prices")).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("Cache write 5 min · 1 h / 1M");
    expect(page).toContain("$3.75 · $6.000001");
    // The public model list shows both write rates; an unset 1-hour rate is the 5-minute one.
    expect((await (await new PortalClient(world.server.url).request("/models")).text()).replaceAll("<!-- -->", "")).toContain("5 min $3.75 · 1 h $6.000001");

    // Empty fields clear the rates (they fall back to input / the 5-minute rate).
    const cleared = await admin.json("/api/admin/prices/claude-cache", "PATCH", { inputUsd: "3", outputUsd: "15", cacheWriteUsd: "3.75", cacheWrite1hUsd: "" });
    expect((await body(cleared)).data).toMatchObject({ cacheWritePrice: "3750000", cacheWrite1hPrice: null });
    expect((await (await new PortalClient(world.server.url).request("/models")).text()).replaceAll("<!-- -->", "")).toContain("5 min $3.75 · 1 h $3.75");

    for (const [payload, field, message] of [
      [{ cacheWriteUsd: "-1" }, "cacheWriteUsd", "The cache write price cannot be negative"],
      [{ cacheWriteUsd: "lots" }, "cacheWriteUsd", "Cache write price: "],
      [{ cacheWrite1hUsd: "0.0000001" }, "cacheWrite1hUsd", "1-hour cache write price: "],
      [{ cacheWrite1hUsd: true }, "cacheWrite1hUsd", "Enter the 1-hour cache write price in USD per 1M tokens"],
    ] as const) {
      const refused = await admin.json("/api/admin/prices", "POST", { model: "claude-bad", inputUsd: "1", outputUsd: "1", ...payload });
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      const error = (await body(refused)).error;
      expect(error.field, JSON.stringify(payload)).toBe(field);
      expect(error.message, JSON.stringify(payload)).toContain(message);
    }
    const zh = await admin.request("/api/admin/prices", {
      method: "POST",
      headers: { "accept-language": "zh-CN,zh;q=0.9", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-bad", inputUsd: "1", outputUsd: "1", cacheWrite1hUsd: "-2" }),
    });
    expect((await body(zh)).error.message).toBe("1 小时缓存写入价格不能为负数");
    expect(await world.db.modelPrice.findUnique({ where: { model: "claude-bad" } })).toBeNull();
    expect((await admin.request("/api/admin/prices/claude-cache", { method: "DELETE" })).status).toBe(200);
  });

  it("searches users by email (case-insensitive) a page at a time", async () => {
    await world.db.user.createMany({ data: Array.from({ length: 27 }, (_, i) => ({ email: `paged${String(i).padStart(2, "0")}@paging.example` })) });
    const first = await body(await admin.request("/api/admin/users?q=PAGING.Example"));
    expect(first).toMatchObject({ total: 27, page: 1, pageSize: 25, pages: 2 });
    expect(first.data).toHaveLength(25);
    const second = await body(await admin.request("/api/admin/users?q=paging.example&page=2"));
    expect(second.data).toHaveLength(2);
    expect(new Set([...first.data, ...second.data].map((u: Json) => u.email)).size).toBe(27);
    expect(first.data[0]).toMatchObject({ role: "USER", disabled: false, balance: "0", lastRequestAt: null });
    expect(first.data[0]).not.toHaveProperty("passwordHash");

    const one = await body(await admin.request("/api/admin/users?q=MEMBER@"));
    expect(one.data.map((u: Json) => u.email)).toEqual(["member@example.com"]);
    expect((await body(await admin.request("/api/admin/users?q=nobody-like-this"))).data).toEqual([]);

    // The caller made requests: their last request time shows.
    const withRequests = await body(await admin.request(`/api/admin/users?q=${encodeURIComponent(caller.user.email)}`));
    expect(withRequests.data[0].lastRequestAt).not.toBeNull();

    const page = await (await admin.request("/admin/users?q=PAGING&page=2")).text();
    expect(page).toContain("26–27 of 27 users");
    expect((await (await admin.request("/admin/users?q=nobody-like-this")).text())).toContain("No matching users");
  });

  it("credits and debits with ADJUSTMENT entries naming the admin; the balance always equals the ledger", async () => {
    const credit = await admin.json(`/api/admin/users/${memberId}/adjust`, "POST", { amountUsd: "12.5", note: "goodwill for the outage" });
    expect(credit.status).toBe(201);
    const credited = await body(credit);
    expect(credited).toMatchObject({ balance: "12500000", entry: { kind: "ADJUSTMENT", amount: "12500000", actorId: adminId, note: "goodwill for the outage" } });
    expect(credited.entry.idempotencyKey).toMatch(/^adjust:[0-9a-f-]{36}$/);

    const debit = await body(await admin.json(`/api/admin/users/${memberId}/adjust`, "POST", { amountUsd: "-2.250001", note: "manual correction" }));
    expect(debit).toMatchObject({ balance: "10249999", entry: { amount: "-2250001", actorId: adminId } });

    const entries = await world.db.ledgerEntry.findMany({ where: { userId: memberId }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.kind, e.amount, e.actorId, e.note])).toEqual([
      ["ADJUSTMENT", 12_500_000n, adminId, "goodwill for the outage"],
      ["ADJUSTMENT", -2_250_001n, adminId, "manual correction"],
    ]);
    const balances = await world.balance(memberId);
    expect(balances.balance).toBe(10_249_999n);
    expect(balances.balance).toBe(balances.ledgerSum);

    for (const [payload, field] of [
      [{ amountUsd: "5", note: "  " }, "note"],
      [{ amountUsd: "5" }, "note"],
      [{ amountUsd: "0", note: "zero" }, "amountUsd"],
      [{ amountUsd: "1.0000001", note: "too precise" }, "amountUsd"],
      [{ amountUsd: "ten", note: "words" }, "amountUsd"],
    ] as const) {
      const refused = await admin.json(`/api/admin/users/${memberId}/adjust`, "POST", payload);
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      expect((await body(refused)).error.field, JSON.stringify(payload)).toBe(field);
    }
    expect((await admin.json("/api/admin/users/nobody/adjust", "POST", { amountUsd: "1", note: "x" })).status).toBe(404);
    expect((await world.balance(memberId)).balance).toBe(10_249_999n);

    const detail = await body(await admin.request(`/api/admin/users/${memberId}`));
    expect(detail.user).toMatchObject({ email: "member@example.com", balance: "10249999" });
    expect(detail.ledger.map((e: Json) => [e.amount, e.actorEmail])).toEqual([
      ["-2250001", "root@example.com"],
      ["12500000", "root@example.com"],
    ]);
    const page = await (await admin.request(`/admin/users/${memberId}`)).text();
    expect(page).toContain("goodwill for the outage");
    expect(page).toContain("$10.249999");
  });

  it("shows a user's usage for the last 30 days", async () => {
    // Request log rows are written just behind the responses.
    const detail = await eventually(async () => {
      const detail = await body(await admin.request(`/api/admin/users/${caller.user.id}`));
      expect(detail.usage.totals.requests).toBeGreaterThanOrEqual(5);
      return detail;
    });
    expect(detail.usage.byModel.map((m: Json) => m.model)).toContain("gpt-admin");
    expect(detail.activeKeys).toBe(1);
    expect(await (await admin.request(`/admin/users/${caller.user.id}`)).text()).toContain("gpt-admin");
  });

  it("disabling a user blocks sign-in and their keys (401 within 5 s); enabling restores both", async () => {
    const victim = await world.user(1_000_000n);
    const session = new PortalClient(world.server.url);
    expect(await session.signIn(victim.user.email, "long enough pw")).toBeNull();
    const client = world.client(victim.apiKey);
    const ask = () => client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "hi" }] });
    await ask();

    const disabled = await admin.json(`/api/admin/users/${victim.user.id}`, "PATCH", { disabled: true });
    expect((await body(disabled)).data).toMatchObject({ disabled: true });
    await within5s(async () => {
      const error = await ask().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    });
    expect(await new PortalClient(world.server.url).signIn(victim.user.email, "long enough pw")).toBe("account_disabled");
    expect((await session.request("/api/keys")).status).toBe(401);

    await admin.json(`/api/admin/users/${victim.user.id}`, "PATCH", { disabled: false });
    await within5s(async () => expect((await ask()).choices[0]!.message.content).toBeTruthy());
    expect(await new PortalClient(world.server.url).signIn(victim.user.email, "long enough pw")).toBeNull();
  });

  it("promotes and demotes admins, but an admin cannot demote or disable themselves", async () => {
    const demoteSelf = await admin.json(`/api/admin/users/${adminId}`, "PATCH", { role: "USER" });
    expect(demoteSelf.status).toBe(400);
    expect((await body(demoteSelf)).error).toMatchObject({ code: "cannot_demote_self", message: "You cannot remove your own admin role" });
    const disableSelf = await admin.json(`/api/admin/users/${adminId}`, "PATCH", { disabled: true });
    expect(disableSelf.status).toBe(400);
    expect((await body(disableSelf)).error).toMatchObject({ code: "cannot_disable_self", message: "You cannot disable your own account" });
    expect(await world.db.user.findUniqueOrThrow({ where: { id: adminId } })).toMatchObject({ role: "ADMIN", disabled: false });

    expect((await body(await admin.json(`/api/admin/users/${memberId}`, "PATCH", { role: "ADMIN" }))).data).toMatchObject({ role: "ADMIN" });
    expect((await member.request("/api/admin/users")).status).toBe(200);
    expect(await (await member.request("/admin/users")).text()).not.toContain(FORBIDDEN_PAGE);
    expect((await body(await admin.json(`/api/admin/users/${memberId}`, "PATCH", { role: "USER" }))).data).toMatchObject({ role: "USER" });
    expect((await member.request("/api/admin/users")).status).toBe(403);

    expect((await admin.json(`/api/admin/users/${memberId}`, "PATCH", { role: "OWNER" })).status).toBe(400);
    expect((await admin.json(`/api/admin/users/${memberId}`, "PATCH", {})).status).toBe(400);
    expect((await admin.json("/api/admin/users/nobody", "PATCH", { disabled: true })).status).toBe(404);
  });

  it("summarises the system: request rates, error rates by channel, top models, recent top-ups and counts", async () => {
    const channel = await world.db.channel.findUniqueOrThrow({ where: { name: "backup" } });
    const now = Date.now();
    await world.db.requestLog.createMany({
      data: [
        ...Array.from({ length: 4 }, (_, i) => ({ id: `req_ov_ok_${i}`, channelId: channel.id, model: "gpt-overview", endpoint: "/v1/chat/completions", status: 200, cost: 1_000n, createdAt: new Date(now - 60_000) })),
        ...Array.from({ length: 4 }, (_, i) => ({ id: `req_ov_err_${i}`, channelId: channel.id, model: "gpt-overview", endpoint: "/v1/chat/completions", status: 502, createdAt: new Date(now - 60_000) })),
        { id: "req_ov_old", channelId: channel.id, model: "gpt-old", endpoint: "/v1/chat/completions", status: 500, createdAt: new Date(now - 2 * 86_400_000) },
      ],
    });
    await world.db.payment.create({ data: { userId: memberId, amount: 25_000_000n, status: "PAID", checkoutSessionId: "cs_admin_overview" } });
    await world.db.payment.create({ data: { userId: memberId, amount: 99_000_000n, status: "PENDING", checkoutSessionId: "cs_admin_pending" } });

    const overview = await body(await admin.request("/api/admin/overview"));
    expect(overview.requestsPerMinute.last5Minutes).toBeGreaterThanOrEqual(8 / 5);
    expect(overview.requestsPerMinute.lastHour).toBeGreaterThan(0);
    const backupRow = (overview.errorsByChannel as Json[]).find((r) => r.name === "backup")!;
    expect(backupRow.errors).toBe(4);
    expect(backupRow.requests).toBeGreaterThanOrEqual(8);
    expect(backupRow.errorRate).toBeCloseTo(4 / backupRow.requests);
    const models = (overview.topModelsByRequests as Json[]).map((m) => m.model);
    expect(models).toEqual(expect.arrayContaining(["gpt-admin", "gpt-overview"]));
    expect(models).not.toContain("gpt-old");
    expect((overview.topModelsBySpend as Json[]).find((m) => m.model === "gpt-overview")).toMatchObject({ requests: 8, spend: "4000" });
    expect(overview.recentTopUps).toEqual([expect.objectContaining({ email: "member@example.com", amount: "25000000" })]);
    expect(overview.counts).toMatchObject({ users: await world.db.user.count(), admins: 1, pricedModels: await world.db.modelPrice.count() });
    expect(overview.counts.channels.ENABLED).toBe(await world.db.channel.count({ where: { status: "ENABLED" } }));

    const page = await (await admin.request("/admin")).text();
    expect(page).toContain("Error rate by channel");
    expect(page).toContain("gpt-overview");
    expect(page).toContain("$25.00");
    expect(page).toContain("Redemption codes");
  });
});
