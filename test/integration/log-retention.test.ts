import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerKind } from "@/lib/db/client";
import { appendLedgerEntry } from "@/lib/billing/ledger";
import { sqlitePath } from "@/lib/db/url";
import { PostgresHotStore } from "@/lib/gateway/store/postgres-store";
import { SqliteHotStore } from "@/lib/gateway/store/sqlite-store";
import type { HotStore } from "@/lib/gateway/store";
import { logRetentionDays, pruneRequestLogs } from "@/lib/observability/retention";
import { USAGE_DAY_BACKFILL } from "@/lib/usage/rollup";
import { databaseProviders } from "../helpers/database-matrix";
import { eventually, GatewayWorld } from "../helpers/gateway-world";

const DAY = 86_400_000;
const OLD_ROWS = 50_000;
const NEW_ROWS = 2_000;

/**
 * ROOTAPI_LOG_RETENTION_DAYS on the real server and database: request-log rows older than the
 * retention go, batch by batch, while /v1 keeps answering; newer rows, the daily rollups and the
 * ledger stay exactly as they were.
 */
describe.each(await databaseProviders())("log retention on %s", (provider) => {
  const world = new GatewayWorld();
  let userId: string;
  let apiKey: string;
  let store: HotStore;

  /** `count` rows for the user, ids `<prefix><i>`, row i `minDays + i % spanDays` days (and i seconds) old. */
  async function seedLogs(prefix: string, count: number, minDays: number, spanDays: number) {
    const now = new Date().toISOString();
    if (provider === "sqlite") {
      await world.db.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${count})
         INSERT INTO "RequestLog" ("id", "userId", "model", "endpoint", "status", "promptTokens", "completionTokens", "cost", "createdAt")
         SELECT '${prefix}' || i, '${userId}', 'sandbox-chat', '/v1/chat/completions', 200, 10, 5, 7,
                strftime('%Y-%m-%dT%H:%M:%f', '${now}', '-' || (${minDays} + i % ${spanDays}) || ' days', '-' || (i % 3600) || ' seconds') || '+00:00'
         FROM n`,
      );
    } else {
      await world.db.$executeRawUnsafe(
        `INSERT INTO "RequestLog" ("id", "userId", "model", "endpoint", "status", "promptTokens", "completionTokens", "cost", "createdAt")
         SELECT '${prefix}' || i, '${userId}', 'sandbox-chat', '/v1/chat/completions', 200, 10, 5, 7,
                '${now}'::timestamptz AT TIME ZONE 'UTC' - (${minDays} + i % ${spanDays}) * interval '1 day' - (i % 3600) * interval '1 second'
         FROM generate_series(0, ${count - 1}) AS i`,
      );
    }
  }

  const count = (where: string) => world.db.$queryRawUnsafe<Array<{ n: bigint | number }>>(`SELECT COUNT(*) AS n FROM "RequestLog" WHERE ${where}`).then((r) => Number(r[0]!.n));
  const snapshot = async () => ({
    usageDays: await world.db.usageDay.findMany({ orderBy: [{ day: "asc" }, { model: "asc" }, { apiKeyId: "asc" }, { error: "asc" }] }),
    ledger: await world.db.ledgerEntry.findMany({ orderBy: { id: "asc" } }),
  });

  beforeAll(async () => {
    await world.setUp(provider);
    const created = await world.user(5_000_000n);
    userId = created.user.id;
    apiKey = created.apiKey;
    await seedLogs("req_old_", OLD_ROWS, 31, 70);
    await seedLogs("req_new_", NEW_ROWS, 0, 29);
    // The rollups as settlement would have kept them, and a ledger entry pointing at a row that goes.
    await world.db.$executeRawUnsafe(USAGE_DAY_BACKFILL[provider]);
    await appendLedgerEntry(world.db, { userId, kind: LedgerKind.USAGE, amount: -7n, idempotencyKey: "usage:req_old_0", requestId: "req_old_0" });
    store = provider === "sqlite" ? new SqliteHotStore(sqlitePath(world.url)) : new PostgresHotStore(world.url);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await world.tearDown();
  });

  it("reads ROOTAPI_LOG_RETENTION_DAYS: unset keeps forever, nonsense refuses to start", () => {
    expect(logRetentionDays({})).toBeNull();
    expect(logRetentionDays({ ROOTAPI_LOG_RETENTION_DAYS: "" })).toBeNull();
    expect(logRetentionDays({ ROOTAPI_LOG_RETENTION_DAYS: "90" })).toBe(90);
    for (const bad of ["0", "-1", "ninety"]) expect(() => logRetentionDays({ ROOTAPI_LOG_RETENTION_DAYS: bad })).toThrow(/ROOTAPI_LOG_RETENTION_DAYS/);
  });

  it("deletes in batches of the given size, only rows older than the cut-off; pruners running at once share the work", async () => {
    const cutoff = new Date(Date.now() - 90 * DAY);
    const older = await count(`"id" LIKE 'req_old_%' AND "createdAt" < ${provider === "sqlite" ? `'${cutoff.toISOString().replace("Z", "+00:00")}'` : `'${cutoff.toISOString().slice(0, 23)}'`}`);
    expect(older).toBeGreaterThan(5_000);
    expect(await store.deleteRequestLogsBefore(cutoff, 100)).toBe(100);
    const [a, b] = await Promise.all([pruneRequestLogs(store, cutoff, { batchSize: 500, pauseMs: 0 }), pruneRequestLogs(store, cutoff, { batchSize: 500, pauseMs: 0 })]);
    expect(a + b + 100).toBe(older);
    expect(await count(`"id" LIKE 'req_old_%'`)).toBe(OLD_ROWS - older);
    expect(await count(`"id" LIKE 'req_new_%'`)).toBe(NEW_ROWS);
  });

  it("prunes on the running server shortly after start; /v1 keeps answering meanwhile; rollups and ledger untouched", async () => {
    const before = await snapshot();
    const remainingOld = await count(`"id" LIKE 'req_old_%'`);
    expect(remainingOld).toBeGreaterThan(30_000);
    await world.start({ ROOTAPI_LOG_RETENTION_DAYS: "30" });
    const client = world.client(apiKey);
    // The first call warms the caches (keys, channels, prices), before the pruner's first pass.
    await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "warm up" }] });

    // Requests one after another from start until the pruner has finished.
    const latencies: number[] = [];
    let pruned = false;
    const load = (async () => {
      while (!pruned) {
        const started = performance.now();
        const answer = await client.chat.completions.create({ model: "sandbox-chat", messages: [{ role: "user", content: "still here?" }] });
        latencies.push(performance.now() - started);
        expect(answer.choices[0]!.message.content).toContain("still here?");
      }
    })();
    await eventually(async () => expect(world.server.logs()).toContain(`Log retention: deleted ${remainingOld} request log rows older than 30 days`), 60_000, 200);
    pruned = true;
    await load;

    expect(await count(`"id" LIKE 'req_old_%'`)).toBe(0);
    expect(await count(`"id" LIKE 'req_new_%'`)).toBe(NEW_ROWS);
    // The requests made meanwhile are logged and kept.
    await eventually(async () => expect(await count(`"id" NOT LIKE 'req_old_%' AND "id" NOT LIKE 'req_new_%'`)).toBe(latencies.length + 1));
    const after = await snapshot();
    const rollupsBefore = before.usageDays.filter((d) => d.day.getTime() < Date.now() - 2 * DAY);
    expect(after.usageDays.filter((d) => d.day.getTime() < Date.now() - 2 * DAY)).toEqual(rollupsBefore);
    expect(after.ledger.filter((e) => before.ledger.some((b) => b.id === e.id))).toEqual(before.ledger);

    latencies.sort((x, y) => x - y);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
    console.log(`${provider}: pruned ${remainingOld} rows; ${latencies.length} /v1 calls meanwhile, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms`);
    expect(latencies.length).toBeGreaterThan(10);
    // One batch at a time holds the database for milliseconds; the whole prune at once would take seconds.
    expect(latencies.at(-1)!).toBeLessThan(1_500);
  }, 120_000);
});
