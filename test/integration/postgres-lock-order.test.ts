import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresHotStore } from "@/lib/gateway/store/postgres-store";
import type { LogRow } from "@/lib/gateway/store/types";
import { postgresAvailable } from "../helpers/databases";
import { GatewayWorld } from "../helpers/gateway-world";

const ci = process.env.CI === "true" || process.env.CI === "1";

/**
 * Several instances write to the same users' rows at once (settlements, lease sweeps). Each test
 * plays one of them by hand on a raw connection, holding the user's row as a settlement does,
 * while the store runs the other transaction; taking locks in the agreed order (users, then keys,
 * then lease rows, each by id) means one waits for the other and neither is chosen as a deadlock
 * victim. Three instances settling the backlog of a PostgreSQL restart deadlocked on both.
 */
describe.runIf(ci || (await postgresAvailable()))("lock order on PostgreSQL", () => {
  const world = new GatewayWorld();
  let store: PostgresHotStore;
  let raw: pg.Client;

  beforeAll(async () => {
    await world.setUp("postgresql");
    store = new PostgresHotStore(world.url);
  });

  afterAll(async () => {
    await raw?.end().catch(() => {});
    await store?.close();
    await world.tearDown();
  });

  /** A second connection, as another instance: it takes the user's row first, like a settlement. */
  async function otherInstanceHoldingTheUser(userId: string) {
    raw = new pg.Client({ connectionString: world.url });
    await raw.connect();
    await raw.query("BEGIN");
    await raw.query(`SELECT 1 FROM "User" WHERE "id" = $1 FOR UPDATE`, [userId]);
    return raw;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const freeRequest = (id: string, userId: string, keyId: string): LogRow => ({
    id, userId, apiKeyId: keyId, channelId: null, model: "m", upstreamModel: null, endpoint: "/v1/chat/completions", stream: false, status: 503,
    promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0, cost: 0n, estimated: false,
    latencyMs: 1, ttfbMs: null, attempts: 0, errorCode: "database_unavailable", errorMessage: null, createdAt: new Date(),
  });

  it("settling only free requests locks their user before their key, like a charged settlement", async () => {
    const { user, keyId } = await world.user(1_000_000n);
    const other = await otherInstanceHoldingTheUser(user.id);
    // The log row refers to the user: its foreign-key check waits for the other's lock. Taken after
    // the key's, that check closed a cycle as soon as the other went on to the key.
    const settling = store.settle({ users: [], keys: [{ keyId, cost: 0n, lastUsed: new Date() }], leases: [], usage: [], logs: [freeRequest("req_lockorder_free", user.id, keyId)] });
    await sleep(300);
    await other.query(`SELECT 1 FROM "ApiKey" WHERE "id" = $1 FOR UPDATE`, [keyId]);
    await other.query("COMMIT");
    await other.end();
    await settling;
    expect(await world.db.requestLog.count({ where: { id: "req_lockorder_free" } })).toBe(1);
  });

  it("a lease sweep locks the lease's subject before the lease, like a settlement taking from it", async () => {
    const { user: { id: userId } } = await world.user(1_000_000n);
    const lease = { id: "lease-lock-order", instanceId: "gone-instance", subject: "user" as const, subjectId: userId };
    expect(await store.growLease(lease, 1_000n, new Date(Date.now() - 60_000))).toBe(true);
    const other = await otherInstanceHoldingTheUser(userId);
    const sweeping = store.releaseLeases({ expiredBefore: new Date() });
    await sleep(300);
    // What settling against the lease does once it holds the user: the lease row, then `held`.
    await other.query(`UPDATE "FundsLease" SET "amount" = "amount" - 10 WHERE "id" = $1`, [lease.id]);
    await other.query(`UPDATE "User" SET "held" = "held" - 10, "balance" = "balance" - 10 WHERE "id" = $1`, [userId]);
    await other.query("COMMIT");
    await other.end();
    expect(await sweeping).toBe(1);
    const user = await world.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.held).toBe(0n);
    expect(await world.db.fundsLease.count({ where: { id: lease.id } })).toBe(0);
  });

  it("renewing an instance's leases takes their rows in id order, as a settlement taking from two of them does", async () => {
    const { user: { id: userId } } = await world.user(1_000_000n);
    // Made b before a: a scan finds them in that order.
    const [b, a] = ["lease-renew-b", "lease-renew-a"].map((id) => ({ id, instanceId: "renewer", subject: "user" as const, subjectId: userId }));
    for (const lease of [b!, a!]) expect(await store.growLease(lease, 100n, new Date(Date.now() + 60_000))).toBe(true);
    const other = await otherInstanceHoldingTheUser(userId);
    await other.query(`UPDATE "FundsLease" SET "amount" = "amount" - 10 WHERE "id" = $1`, [a!.id]);
    const renewing = store.renewLeases("renewer", new Date(Date.now() + 120_000));
    await sleep(300);
    await other.query(`UPDATE "FundsLease" SET "amount" = "amount" - 10 WHERE "id" = $1`, [b!.id]);
    await other.query("COMMIT");
    await other.end();
    expect([...(await renewing)].sort()).toEqual([a!.id, b!.id]);
  });
});
