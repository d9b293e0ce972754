import { spawnSync } from "node:child_process";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/users/users";
import { GatewayWorld, eventually } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";
import { completion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { privateServicesAvailable, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from "../helpers/private-services";
import { ROOT, runCli, startServer, testEnv, type RunningServer } from "../helpers/server";

/**
 * The deployment the README describes: N stateless instances behind a load balancer, one
 * PostgreSQL, one Redis. Three real servers share a private PostgreSQL and a private Redis (this
 * test stops and restarts both, so they are its own); load is spread over the instances round-robin.
 */
const LEASE_TTL_SECONDS = 3;
const MODEL = "sandbox-chat";
// Micro-dollars per million tokens: 1000 µ$ a token, so every answer costs something.
const PRICE = 1_000_000_000n;
const PASSWORD = "long enough pw";

interface Outcome {
  /** When it was sent. */
  at: number;
  status: number;
  instance: number;
  requestId: string | null;
  body: unknown;
  ms: number;
}

describe.runIf(privateServicesAvailable())("three instances on one PostgreSQL and one Redis", () => {
  const world = new GatewayWorld();
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let upstream: FakeUpstream;
  const instances: RunningServer[] = [];
  let next = 0;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    redis = await startPrivateRedis();
    await world.setUp("postgresql", postgres.url);
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("ok", { prompt_tokens: 5, completion_tokens: 1 }) }));
    await world.price(MODEL, PRICE, PRICE);
    await world.price("gpt-up", PRICE, PRICE);
    await world.channel({ name: "up", baseUrl: upstream.url, apiKey: "k", models: ["gpt-up"] });
    await createUser(world.db, { email: "multi-admin@example.com", password: PASSWORD, admin: true });
    // The compiled server (what `npm start` runs): a SIGKILL kills the server itself, not a tsx wrapper.
    const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    const env = { REDIS_URL: redis.url, ROOTAPI_LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS) };
    // The first one migrates and seeds; the others then start side by side.
    instances.push(await startServer(world.url, env, { compiled: true }));
    instances.push(...(await Promise.all([startServer(world.url, env, { compiled: true }), startServer(world.url, env, { compiled: true })])));
    world.server = instances[0]!;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.slice(1).map((s) => s.stop().catch(() => {})));
    await postgres?.start().catch(() => {});
    await world.tearDown().catch(() => {});
    await upstream?.close();
    await redis?.destroy();
    await postgres?.destroy();
  }, 60_000);

  /** One request to the next instance (round-robin), through fetch: status, request id, body. */
  async function call(apiKey: string, init: { instance?: number; model?: string; maxTokens?: number; timeoutMs?: number } = {}): Promise<Outcome> {
    const instance = init.instance ?? next++ % instances.length;
    const started = Date.now();
    const response = await fetch(`${instances[instance]!.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: init.model ?? MODEL, max_tokens: init.maxTokens ?? 16, messages: [{ role: "user", content: "Hello there" }] }),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { at: started, status: response.status, instance, requestId: response.headers.get("x-request-id"), body, ms: Date.now() - started };
  }

  /** The same through the openai SDK, which raises on errors: successes only. */
  async function callSdk(apiKey: string, instance = next++ % instances.length): Promise<Outcome> {
    const client = new OpenAI({ apiKey, baseURL: `${instances[instance]!.url}/v1`, maxRetries: 0, timeout: 30_000 });
    const started = Date.now();
    const answer = await client.chat.completions.create({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "Hello there" }] });
    return { at: started, status: 200, instance, requestId: answer._request_id ?? null, body: answer, ms: Date.now() - started };
  }

  /** `total` calls, `concurrency` at a time, half through the SDK; errors are outcomes too. */
  async function load(apiKey: string, total: number, concurrency: number, sdk = true): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let issued = 0;
    const worker = async () => {
      while (issued < total) {
        const n = issued++;
        outcomes.push(await (sdk && n % 2 ? callSdk(apiKey) : call(apiKey)));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return outcomes;
  }

  /**
   * Calls at `concurrency` until `stop()` says so, round-robin over the instances; a connection error
   * (an instance gone) is an outcome with status 0, not an exception.
   */
  async function loadUntil(apiKey: string, stop: () => boolean, concurrency: number): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const worker = async () => {
      while (!stop()) {
        const instance = next++ % instances.length;
        const started = Date.now();
        outcomes.push(await call(apiKey, { instance, timeoutMs: 20_000 }).catch((error: Error) => ({ at: started, status: 0, instance, requestId: null, body: String(error), ms: Date.now() - started })));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return outcomes;
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Every acknowledged request has exactly one log row and, when it cost something, exactly one ledger entry of that cost. */
  async function expectBilledOnce(userId: string, ok: Outcome[]) {
    const ids = ok.map((o) => o.requestId!);
    expect(new Set(ids).size).toBe(ids.length);
    const logs = await eventually(async () => {
      const rows = await world.db.requestLog.findMany({ where: { id: { in: ids } } });
      expect(rows.length).toBe(ids.length);
      return rows;
    }, 15_000);
    const entries = await world.db.ledgerEntry.findMany({ where: { userId, kind: "USAGE" } });
    const byRequest = new Map<string, bigint[]>();
    for (const entry of entries) byRequest.set(entry.requestId!, [...(byRequest.get(entry.requestId!) ?? []), entry.amount]);
    for (const row of logs) {
      expect(row.cost).toBeGreaterThan(0n);
      expect(byRequest.get(row.id)).toEqual([-row.cost]);
    }
    return logs;
  }

  async function ledgerVerify() {
    const result = await runCli(["ledger", "verify"], testEnv(world.url, instances[0]!.dataDir));
    expect(result.code, result.stderr).toBe(0);
    expect(result.value).toContain("OK");
  }

  it("(1) spreads load over the instances; every answer is billed exactly once and `ledger verify` passes", async () => {
    const { user, apiKey } = await world.user(1_000_000_000n);
    const outcomes = await load(apiKey, 150, 15);
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    for (let i = 0; i < instances.length; i++) expect(outcomes.filter((o) => o.instance === i).length).toBe(50);
    const logs = await expectBilledOnce(user.id, outcomes);
    const spent = logs.reduce((sum, row) => sum + row.cost, 0n);
    await eventually(async () => {
      const { balance, held, ledgerSum } = await world.balance(user.id);
      expect(balance).toBe(1_000_000_000n - spent);
      expect(ledgerSum).toBe(balance);
      expect(held).toBe(0n);
    }, 10_000);
    await ledgerVerify();
  }, 120_000);

  it("(2) never overdraws a small balance under concurrent calls landing on different instances", async () => {
    // max_tokens 16 and a short prompt: each call holds about 120 000 µ$ (body bytes + max_tokens); the balance covers a few at a time.
    const { user, apiKey } = await world.user(500_000n);
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => call(apiKey)));
    const ok = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect(o.status).toBe(402);
      expect(o.body).toMatchObject({ error: { type: "insufficient_quota", code: "insufficient_quota" } });
    }
    const logs = await expectBilledOnce(user.id, ok);
    const spent = logs.reduce((sum, row) => sum + row.cost, 0n);
    expect(spent).toBeLessThanOrEqual(500_000n);
    await eventually(async () => {
      const { balance, held } = await world.balance(user.id);
      expect(balance).toBe(500_000n - spent);
      expect(balance).toBeGreaterThanOrEqual(0n);
      expect(held).toBe(0n);
    }, 10_000);
  }, 120_000);

  it("(3) an RPM limit of N admits exactly N across the three instances", async () => {
    const { apiKey } = await world.user(1_000_000_000n, { rpmLimit: 7 });
    const outcomes = await Promise.all(Array.from({ length: 21 }, () => call(apiKey)));
    expect(outcomes.filter((o) => o.status === 200).length).toBe(7);
    const limited = outcomes.filter((o) => o.status === 429);
    expect(limited.length).toBe(14);
    for (const o of limited) expect(o.body).toMatchObject({ error: { code: "rate_limit_exceeded" } });
    // Each instance got 7 of the calls: counted per instance, all 21 would have been admitted.
    for (let i = 0; i < instances.length; i++) expect(outcomes.filter((o) => o.instance === i).length).toBe(7);
  }, 120_000);

  describe("(4) a change made through one instance's portal reaches the others within 5 s", () => {
    let admin: PortalClient;
    beforeAll(async () => {
      admin = new PortalClient(instances[0]!.url);
      expect(await admin.signIn("multi-admin@example.com", PASSWORD)).toBeNull();
    }, 60_000);

    /** Polls every other instance until `applied` holds there; returns how long it took. */
    async function propagation(applied: (instance: number) => Promise<boolean>, since: number): Promise<number> {
      const times = await Promise.all(
        [1, 2].map(async (instance) => {
          for (;;) {
            if (await applied(instance)) return Date.now() - since;
            if (Date.now() - since > 10_000) return Infinity;
            await new Promise((r) => setTimeout(r, 100));
          }
        }),
      );
      return Math.max(...times);
    }

    it("a revoked key", async () => {
      const { user, apiKey, keyId } = await world.user(1_000_000_000n);
      // Every instance has the key cached as valid.
      for (let i = 0; i < 3; i++) expect((await call(apiKey, { instance: i })).status).toBe(200);
      const owner = new PortalClient(instances[0]!.url);
      expect(await owner.signIn(user.email, PASSWORD)).toBeNull();
      const since = Date.now();
      expect((await owner.request(`/api/keys/${keyId}`, { method: "DELETE" })).status).toBeLessThan(300);
      const took = await propagation(async (i) => (await call(apiKey, { instance: i })).status === 401, since);
      expect(took).toBeLessThanOrEqual(5_000);
    }, 60_000);

    it("a changed price", async () => {
      const { apiKey } = await world.user(1_000_000_000n);
      for (let i = 0; i < 3; i++) expect((await call(apiKey, { instance: i, model: "gpt-up" })).status).toBe(200);
      const since = Date.now();
      expect((await admin.json("/api/admin/prices/gpt-up", "PATCH", { inputUsd: "2000", outputUsd: "2000" })).status).toBe(200);
      const took = await propagation(async (i) => {
        const outcome = await call(apiKey, { instance: i, model: "gpt-up" });
        const row = await world.logOf(outcome.requestId!, 10_000);
        // The upstream reports 5 + 1 tokens: 6 000 µ$ at the old price, 12 000 at the new one.
        expect([6_000n, 12_000n]).toContain(row.cost);
        return row.cost === 12_000n;
      }, since);
      expect(took).toBeLessThanOrEqual(5_000);
    }, 60_000);

    it("a disabled channel", async () => {
      const { apiKey } = await world.user(1_000_000_000n);
      for (let i = 0; i < 3; i++) expect((await call(apiKey, { instance: i, model: "gpt-up" })).status).toBe(200);
      const channel = await world.db.channel.findUniqueOrThrow({ where: { name: "up" } });
      const since = Date.now();
      expect((await admin.json(`/api/admin/channels/${channel.id}/status`, "POST", { status: "DISABLED" })).status).toBe(200);
      const took = await propagation(async (i) => (await call(apiKey, { instance: i, model: "gpt-up" })).status === 404, since);
      expect(took).toBeLessThanOrEqual(5_000);
    }, 60_000);
  });

  it("(6) Redis stopped and restarted mid-load: requests keep flowing, limits resume", async () => {
    // A limit far above the load: every request goes through the shared limiter.
    const { user, apiKey } = await world.user(1_000_000_000n, { rpmLimit: 1_000_000 });
    for (let i = 0; i < instances.length; i++) expect((await call(apiKey, { instance: i })).status).toBe(200);
    let done = false;
    const running = loadUntil(apiKey, () => done, 6);
    await sleep(500);
    await redis.stop();
    const stopped = Date.now();
    await sleep(2_500);
    await redis.start();
    const restarted = Date.now();
    await sleep(500);
    done = true;
    const outcomes = await running;
    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    // Answered while Redis was down, on every instance.
    const duringOutage = outcomes.filter((o) => o.at >= stopped && o.at + o.ms <= restarted);
    expect(new Set(duringOutage.map((o) => o.instance)).size).toBe(3);
    await expectBilledOnce(user.id, outcomes);
    // Once every instance has reconnected, a fresh key's limit of N admits exactly N again.
    await eventually(
      async () => {
        const limited = await world.user(1_000_000_000n, { rpmLimit: 4 });
        const burst = await Promise.all(Array.from({ length: 12 }, () => call(limited.apiKey)));
        expect(burst.filter((o) => o.status === 200).length).toBe(4);
      },
      15_000,
      500,
    );
  }, 120_000);

  it("(7) PostgreSQL restarted mid-load: clean 503s while it is down, never a hang or a crash; recovers by itself", async () => {
    const { user, apiKey } = await world.user(1_000_000_000n);
    let done = false;
    const running = loadUntil(apiKey, () => done, 6);
    await sleep(500);
    await postgres.stop();
    // Longer than the key cache, the catalog's age limit and the lease TTL: the instances must reach the database.
    await sleep(6_000);
    await postgres.start();
    const restarted = Date.now();
    // Recovered by themselves: every instance answers again.
    await eventually(
      async () => {
        for (let i = 0; i < instances.length; i++) expect((await call(apiKey, { instance: i })).status).toBe(200);
      },
      40_000,
      250,
    );
    const recoveredAfter = Date.now() - restarted;
    done = true;
    const outcomes = await running;
    const failed = outcomes.filter((o) => o.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) {
      expect(o.status, JSON.stringify(o)).toBe(503);
      expect(o.body).toEqual({ error: { message: expect.any(String), type: "service_unavailable", param: null, code: "database_unavailable" } });
    }
    // Failing, not waiting on a database that is not there (the load is spread over a busy machine: a generous bound).
    expect(Math.max(...failed.map((o) => o.ms))).toBeLessThan(10_000);
    // A hang catcher, not a latency target: each instance's pool drops its dead connections as they
    // fail, which on a machine busy with the rest of the suite took up to ~16 s.
    expect(recoveredAfter).toBeLessThan(30_000);
    // Answers served while the database was down (from caches and leases) are billed once it is back.
    await expectBilledOnce(user.id, outcomes.filter((o) => o.status === 200));
    await eventually(async () => expect((await world.balance(user.id)).held).toBe(0n), 15_000);
    await ledgerVerify();
    for (const instance of instances) expect(instance.logs()).not.toMatch(/unhandled|uncaught/i);
    // The backlog three instances settle at once after the restart takes locks in one order.
    for (const instance of instances) expect(instance.logs()).not.toMatch(/deadlock/i);
  }, 120_000);

  // Last: it leaves two instances.
  it("(5) an instance killed with SIGKILL mid-load loses no acknowledged answer; another gives its funds lease back", async () => {
    const { user, apiKey } = await world.user(1_000_000_000n);
    for (let i = 0; i < instances.length; i++) expect((await call(apiKey, { instance: i })).status).toBe(200);
    let done = false;
    const running = loadUntil(apiKey, () => done, 9);
    await sleep(1_500);
    // Every instance serves the user from a lease of its own, the victim's included.
    const leases = await world.db.fundsLease.findMany({ where: { subjectId: user.id } });
    expect(new Set(leases.map((l) => l.instanceId)).size).toBe(3);
    const victim = instances[2]!;
    await victim.crash();
    const killedAt = Date.now();
    await sleep(1_000);
    done = true;
    const outcomes = await running;
    const acknowledged = outcomes.filter((o) => o.status === 200);
    // The victim answered some calls before it died; those sent to it afterwards found nobody.
    expect(acknowledged.filter((o) => o.instance === 2).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.status !== 200).every((o) => o.instance === 2 && o.status === 0)).toBe(true);
    await expectBilledOnce(user.id, acknowledged);
    // The dead instance cannot give its lease back: another does, once it is no longer renewed.
    await eventually(async () => expect(await world.db.fundsLease.count({ where: { subjectId: user.id } })).toBe(0), 15_000, 200);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_TTL_SECONDS * 1_000);
    const { balance, held, ledgerSum } = await world.balance(user.id);
    expect(held).toBe(0n);
    expect(ledgerSum).toBe(balance);
    await ledgerVerify();
    instances.splice(2, 1);
  }, 120_000);
});
