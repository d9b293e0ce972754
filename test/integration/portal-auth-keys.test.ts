import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/databases";
import { databaseProviders } from "../helpers/database-matrix";
import { PortalClient } from "../helpers/portal-client";
import { startServer, type RunningServer } from "../helpers/server";

const PASSWORD = "correct horse battery";

describe.each(await databaseProviders())("portal: sign-up, sign-in and keys on %s", (provider) => {
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase(provider);
    drop = db.drop;
    server = await startServer(db.url);
  });

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("makes the first account an admin and later ones users; refuses a taken email", async () => {
    const first = await new PortalClient(server.url).signUp("Owner@Example.com", PASSWORD);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ email: "owner@example.com", role: "ADMIN" });

    const second = await new PortalClient(server.url).signUp("member@example.com", PASSWORD);
    expect(await second.json()).toMatchObject({ role: "USER" });

    const taken = await new PortalClient(server.url).signUp("OWNER@example.com", PASSWORD);
    expect(taken.status).toBe(409);
    expect(await taken.json()).toEqual({ error: { message: "An account with this email already exists", code: "email_taken", field: "email" } });
  });

  it("rejects bad sign-up input with a readable error and creates nothing", async () => {
    const client = new PortalClient(server.url);
    const short = await client.signUp("short@example.com", "1234567");
    expect(short.status).toBe(400);
    expect((await short.json()).error).toMatchObject({ code: "weak_password", field: "password" });
    const bad = await client.signUp("not-an-email", PASSWORD);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_email", field: "email" });
    const notJson = await client.request("/api/signup", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(await client.signIn("short@example.com", "1234567")).toBe("invalid_credentials");
  });

  it("signs in with the right password only, and throttles repeated failures", async () => {
    const client = new PortalClient(server.url);
    expect((await client.signUp("throttle@example.com", PASSWORD)).status).toBe(201);
    expect(await client.signIn("throttle@example.com", "wrong password")).toBe("invalid_credentials");
    expect(await new PortalClient(server.url).signIn("throttle@example.com", PASSWORD)).toBeNull();
    for (let i = 0; i < 5; i++) await new PortalClient(server.url).signIn("throttle@example.com", `wrong ${i}`);
    // Even the right password is refused while the account is locked out.
    expect(await new PortalClient(server.url).signIn("throttle@example.com", PASSWORD)).toBe("too_many_attempts");
  });

  it("lets a user create, list and revoke only their own keys", async () => {
    const alice = new PortalClient(server.url);
    const bob = new PortalClient(server.url);
    await alice.signUp("alice@example.com", PASSWORD);
    await bob.signUp("bob@example.com", PASSWORD);
    expect(await alice.signIn("alice@example.com", PASSWORD)).toBeNull();
    expect(await bob.signIn("bob@example.com", PASSWORD)).toBeNull();

    const created = await alice.json("/api/keys", "POST", { name: "alice key" });
    expect(created.status).toBe(201);
    const { key, data } = (await created.json()) as { key: string; data: { id: string; prefix: string; status: string } };
    expect(key).toMatch(/^sk-[0-9A-Za-z]{43}$/);
    expect(data).toMatchObject({ prefix: `${key.slice(0, 7)}…${key.slice(-4)}`, status: "active" });

    const aliceList = (await (await alice.request("/api/keys")).json()) as { data: Array<Record<string, unknown>> };
    expect(aliceList.data.map((k) => k.name)).toEqual(["alice key"]);
    expect(JSON.stringify(aliceList)).not.toContain(key);
    expect(aliceList.data[0]).not.toHaveProperty("keyHash");

    // Bob can neither see nor revoke Alice's key; the answer does not reveal that it exists.
    expect(((await (await bob.request("/api/keys")).json()) as { data: unknown[] }).data).toEqual([]);
    const stolen = await bob.request(`/api/keys/${data.id}`, { method: "DELETE" });
    expect(stolen.status).toBe(404);
    expect(((await (await alice.request("/api/keys")).json()) as { data: Array<{ status: string }> }).data[0]!.status).toBe("active");

    const revoked = await alice.request(`/api/keys/${data.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(((await (await alice.request("/api/keys")).json()) as { data: Array<{ status: string }> }).data[0]!.status).toBe("revoked");
  });

  it("lists the playground's own key like any other key: marked, with its spend, revocable", async () => {
    const dana = new PortalClient(server.url);
    await dana.signUp("dana@example.com", PASSWORD);
    expect(await dana.signIn("dana@example.com", PASSWORD)).toBeNull();
    await dana.json("/api/keys", "POST", { name: "dana key" });
    // The first playground turn creates the "Playground" key (its plain value stays sealed on the server).
    const turn = await dana.json("/api/playground/chat", "POST", {
      messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "Hello keys page" }] }],
      model: "sandbox-chat",
      stream: false,
      api: "chat",
    });
    expect(turn.status).toBe(200);
    await turn.text();

    type Row = { id: string; name: string; status: string; spent: string; playground: boolean; rpmLimit: number | null };
    const list = async () => ((await (await dana.request("/api/keys")).json()) as { data: Row[] }).data;
    const rows = await list();
    expect(rows.map((k) => k.name).sort()).toEqual(["Playground", "dana key"]);
    const playground = rows.find((k) => k.name === "Playground")!;
    expect(playground).toMatchObject({ status: "active", spent: "0", playground: true, rpmLimit: null });
    expect(rows.find((k) => k.name === "dana key")).toMatchObject({ playground: false });

    // The keys page shows it with the note, in English and in Chinese.
    const html = (await (await dana.request("/keys")).text()).replaceAll("<!-- -->", "");
    expect(html).toContain("Used by the playground. If you revoke it, the playground creates a new one on its next call.");
    expect(html).toContain('data-playground="true"');
    const zh = (await (await dana.request("/keys", { headers: { "accept-language": "zh-CN,zh;q=0.9" } })).text()).replaceAll("<!-- -->", "");
    expect(zh).toContain("试验场正在使用此密钥");
    expect(zh).toContain("API 密钥");

    // Revocable like any other; the next playground turn makes a new one, listed in its place.
    expect((await dana.request(`/api/keys/${playground.id}`, { method: "DELETE" })).status).toBe(200);
    const again = await dana.json("/api/playground/chat", "POST", {
      messages: [{ id: "u2", role: "user", parts: [{ type: "text", text: "After revoking" }] }],
      model: "sandbox-chat",
      stream: false,
      api: "chat",
    });
    expect(again.status).toBe(200);
    await again.text();
    const after = (await list()).filter((k) => k.name === "Playground");
    expect(after.map((k) => [k.status, k.playground]).sort()).toEqual([["active", true], ["revoked", false]]);
  });

  it("answers portal errors in the visitor's language", async () => {
    const client = new PortalClient(server.url);
    await client.signUp("erin@example.com", PASSWORD);
    const zh = { "content-type": "application/json", "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
    const taken = await client.request("/api/signup", { method: "POST", headers: zh, body: JSON.stringify({ email: "erin@example.com", password: PASSWORD }) });
    expect(await taken.json()).toEqual({ error: { message: "该邮箱已注册", code: "email_taken", field: "email" } });
    const short = await client.request("/api/signup", { method: "POST", headers: zh, body: JSON.stringify({ email: "x@example.com", password: "short" }) });
    expect((await short.json()).error).toMatchObject({ message: "密码至少需要 8 个字符", code: "weak_password" });
    expect(await client.signIn("erin@example.com", PASSWORD)).toBeNull();
    const noName = await client.request("/api/keys", { method: "POST", headers: zh, body: JSON.stringify({ name: " " }) });
    expect((await noName.json()).error).toMatchObject({ message: "请为密钥起个名称", field: "name" });
    const english = await client.json("/api/keys", "POST", { name: "k", rpmLimit: 0 });
    expect((await english.json()).error).toMatchObject({ message: "Requests per minute must be a positive whole number", field: "rpmLimit" });
  });

  it("validates key input and requires a session", async () => {
    const anonymous = new PortalClient(server.url);
    expect((await anonymous.request("/api/keys")).status).toBe(401);
    expect((await anonymous.json("/api/keys", "POST", { name: "x" })).status).toBe(401);

    const user = new PortalClient(server.url);
    await user.signUp("carol@example.com", PASSWORD);
    await user.signIn("carol@example.com", PASSWORD);
    expect((await (await user.json("/api/keys", "POST", { name: "  " })).json()).error.field).toBe("name");
    const past = await user.json("/api/keys", "POST", { name: "old", expiresAt: "2001-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect((await past.json()).error.code).toBe("invalid_expiry");
    const crossSite = await user.request("/api/keys", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ name: "csrf" }),
    });
    expect(crossSite.status).toBe(403);
    expect(((await (await user.request("/api/keys")).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("serves the pages: public landing, auth pages and docs, dashboard pages behind sign-in", async () => {
    const anonymous = new PortalClient(server.url);
    for (const path of ["/", "/sign-in", "/sign-up", "/models", "/docs", "/docs/responses"]) expect((await anonymous.request(path)).status, path).toBe(200);
    const openapi = await anonymous.request("/openapi.json");
    expect(openapi.status).toBe(200);
    expect(await openapi.json()).toMatchObject({ openapi: "3.1.0", servers: [{ url: `${server.url.replace("127.0.0.1", "127.0.0.1")}/v1` }] });
    for (const path of ["/dashboard", "/keys", "/usage", "/billing", "/playground", "/admin"]) {
      const response = await anonymous.request(path);
      expect(response.status, path).toBe(307);
      expect(response.headers.get("location"), path).toContain("/sign-in");
    }
  });
});
