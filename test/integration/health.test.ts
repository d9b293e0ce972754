import { spawnSync } from "node:child_process";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { redisAvailable, testRedisUrl } from "../helpers/redis";
import { ROOT } from "../helpers/server";
import { TcpProxy } from "../helpers/tcp-proxy";

/** GET /healthz and /readyz of the real server, with its real database and Redis. */
async function get(url: string, method = "GET") {
  const res = await fetch(url, { method });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

const withRedis = await redisAvailable();

describe.each(await databaseProviders())("health endpoints on %s", (provider) => {
  const world = new GatewayWorld();

  beforeAll(async () => {
    await world.setUp(provider);
  });

  afterEach(async () => {
    await world.server?.stop();
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it("answers /healthz and /readyz with uncached JSON, before Next", async () => {
    await world.start();
    const healthz = await get(`${world.server.url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(healthz.json).toEqual({ status: "ok" });
    expect(healthz.headers.get("cache-control")).toBe("no-store");
    expect(healthz.headers.get("content-type")).toBe("application/json");

    const readyz = await get(`${world.server.url}/readyz?probe=lb`);
    expect(readyz.status).toBe(200);
    expect(readyz.json).toEqual({ status: "ready" });
    expect(readyz.headers.get("cache-control")).toBe("no-store");

    const head = await get(`${world.server.url}/readyz`, "HEAD");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const post = await get(`${world.server.url}/healthz`, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");

    // Answered by the custom server: Next never started (it loads on the first portal request).
    expect(world.server.logs()).not.toMatch(/Next\.js|next-server/i);
  });

  it("polling every second costs one tiny query: 200 polls answer fast", async () => {
    await world.start();
    const started = performance.now();
    for (let i = 0; i < 200; i++) expect((await fetch(`${world.server.url}/readyz`)).status).toBe(200);
    const perPoll = (performance.now() - started) / 200;
    console.log(`/readyz on ${provider}: ${perPoll.toFixed(2)} ms per poll`);
    expect(perPoll).toBeLessThan(100);
  });

  it("is unready while a migration is missing (ROOTAPI_SKIP_MIGRATIONS), and ready once it is applied", async () => {
    const [latest] = await world.db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      `SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`,
    );
    const stamp = provider === "sqlite" ? "'2026-01-01T00:00:00.000+00:00'" : "now()";
    await world.db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "rolled_back_at" = ${stamp} WHERE "migration_name" = '${latest!.migration_name}'`);
    try {
      await world.start({ ROOTAPI_SKIP_MIGRATIONS: "1" });
      const readyz = await get(`${world.server.url}/readyz`);
      expect(readyz.status).toBe(503);
      expect(readyz.headers.get("cache-control")).toBe("no-store");
      expect(readyz.json).toEqual({ status: "unready", reasons: [{ check: "migrations", message: `1 migration(s) not applied, e.g. ${latest!.migration_name}.` }] });
      // Alive all the same.
      expect((await get(`${world.server.url}/healthz`)).status).toBe(200);
    } finally {
      await world.db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "rolled_back_at" = NULL WHERE "migration_name" = '${latest!.migration_name}'`);
    }
    expect((await get(`${world.server.url}/readyz`)).status).toBe(200);
  });

  it("during the shutdown grace, /readyz answers 503 shutting down on a connection still open", async () => {
    // Compiled, so the signal goes to the server itself rather than through tsx.
    const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    await world.start({ ROOTAPI_SHUTDOWN_GRACE_SECONDS: "10" }, { compiled: true });
    const { apiKey } = await world.user(0n);
    // A long stream keeps the server in its grace period.
    const stream = fetch(`${world.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sandbox-chat", stream: true, messages: [{ role: "user", content: "[sandbox:delay=200] one two three four five six seven eight nine ten" }] }),
    });
    const response = await stream;
    expect(response.status).toBe(200);
    // A balancer's poll whose request is under way when SIGTERM arrives.
    const { port } = new URL(world.server.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("GET /readyz HTTP/1.1\r\nHost: lb\r\n");
    let answer = "";
    socket.on("data", (d) => (answer += d));
    process.kill(world.server.pid, "SIGTERM");
    await eventually(async () => expect(world.server.logs(), world.server.logs()).toContain("SIGTERM"), 20_000);
    socket.write("\r\n");
    await eventually(async () => expect(answer).toContain("\r\n\r\n{"));
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer.slice(answer.indexOf("{"))).toBe(JSON.stringify({ status: "unready", reasons: [{ check: "shutdown", message: "The server is shutting down." }] }));
    socket.destroy();
    await response.text().catch(() => "");
  });

  it.runIf(provider === "postgresql")("is unready while the database is unreachable, without naming it, and ready again when it is back", async () => {
    const target = new URL(world.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.open();
    const viaProxy = new URL(world.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    // Trust authentication ignores the password; it must still never be shown.
    viaProxy.username = "postgres";
    viaProxy.password = "pg-secret-password";
    try {
      await world.start({ DATABASE_URL: viaProxy.toString() });
      expect((await get(`${world.server.url}/readyz`)).status).toBe(200);
      await proxy.cut();
      const down = await get(`${world.server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.json).toEqual({ status: "unready", reasons: [{ check: "database", message: expect.stringMatching(/^The database did not answer \(\w+\)\.$/) }] });
      for (const secret of ["pg-secret-password", "postgres", String(proxy.port), "127.0.0.1", target.pathname.slice(1)]) expect(down.text).not.toContain(secret);
      expect((await get(`${world.server.url}/healthz`)).status).toBe(200);
      await proxy.open();
      await eventually(async () => expect((await get(`${world.server.url}/readyz`)).status).toBe(200), 10_000, 200);
    } finally {
      await proxy.cut();
    }
  });

  it.runIf(provider === "sqlite" && withRedis)("is unready while Redis (REDIS_URL) is unreachable, and ready again when it is back", async () => {
    const target = new URL(testRedisUrl());
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.open();
    try {
      await world.start({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
      await eventually(async () => expect((await get(`${world.server.url}/readyz`)).status).toBe(200));
      await proxy.cut();
      const down = await eventually(async () => {
        const res = await get(`${world.server.url}/readyz`);
        expect(res.status).toBe(503);
        return res;
      });
      expect(down.json).toEqual({ status: "unready", reasons: [{ check: "redis", message: expect.stringMatching(/^Redis did not answer \([\w .-]+\)\.$/) }] });
      expect(down.text).not.toContain(String(proxy.port));
      await proxy.open();
      await eventually(async () => expect((await get(`${world.server.url}/readyz`)).status).toBe(200), 15_000, 250);
    } finally {
      await proxy.cut();
    }
  });
});
