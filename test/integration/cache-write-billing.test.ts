// Prompt-cache writes through the hot stores: the prices the gateway loads carry both cache-write
// rates, and a settled request's log row keeps its cache writes (all, and the 1-hour part), on
// SQLite and PostgreSQL alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costOf } from "@/lib/billing/pricing";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { sqlitePath } from "@/lib/db/url";
import { PostgresHotStore } from "@/lib/gateway/store/postgres-store";
import { SqliteHotStore } from "@/lib/gateway/store/sqlite-store";
import type { HotStore, LogRow } from "@/lib/gateway/store/types";
import { setModelPrice } from "@/lib/prices/prices";
import { createUser } from "@/lib/users/users";
import { databaseProviders } from "../helpers/database-matrix";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";

describe.each(await databaseProviders())("cache writes in the hot store on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let store: HotStore;
  let userId: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    await migrate(database.url);
    db = createDb(database.url);
    store = provider === "postgresql" ? new PostgresHotStore(database.url) : new SqliteHotStore(sqlitePath(database.url));
    userId = (await createUser(db, { email: `cache-${provider}@example.com`, password: "long enough pw" })).id;
  });

  afterAll(async () => {
    await store?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("loads cache-write prices, null where unset", async () => {
    await setModelPrice(db, { model: "claude-cache", inputPrice: 3_000_000n, outputPrice: 15_000_000n, cachedInputPrice: 300_000n, cacheWritePrice: 3_750_000n, cacheWrite1hPrice: 6_000_000n });
    await setModelPrice(db, { model: "plain", inputPrice: 1_000_000n, outputPrice: 2_000_000n });
    const prices = new Map((await store.prices()).map((p) => [p.model, p]));
    expect(prices.get("claude-cache")).toEqual({ model: "claude-cache", inputPrice: 3_000_000n, outputPrice: 15_000_000n, cachedInputPrice: 300_000n, cacheWritePrice: 3_750_000n, cacheWrite1hPrice: 6_000_000n });
    expect(prices.get("plain")).toMatchObject({ cacheWritePrice: null, cacheWrite1hPrice: null });
  });

  it("writes cacheWriteTokens and cacheWrite1hTokens into the request log", async () => {
    const price = (await store.prices()).find((p) => p.model === "claude-cache")!;
    const usage = { promptTokens: 10_000, cachedTokens: 5_000, cacheWriteTokens: 3_000, cacheWrite1hTokens: 1_000, completionTokens: 400, reasoningTokens: 0 };
    const cost = costOf(usage, price);
    expect(cost).toBe(27_000n);
    const row: LogRow = {
      id: `req_cache_${provider}`,
      userId,
      apiKeyId: null,
      channelId: null,
      model: "claude-cache",
      upstreamModel: "claude-sonnet-4-5",
      endpoint: "/v1/chat/completions",
      stream: false,
      status: 200,
      ...usage,
      cost,
      estimated: false,
      latencyMs: 12,
      ttfbMs: null,
      attempts: 1,
      errorCode: null,
      errorMessage: null,
      createdAt: new Date(),
    };
    await store.settle({ users: [{ userId, cost }], keys: [], leases: [], usage: [{ id: `usage_${provider}`, userId, cost, requestId: row.id, model: row.model, createdAt: row.createdAt }], logs: [row] });
    expect(await db.requestLog.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      promptTokens: 10_000,
      cachedTokens: 5_000,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 1_000,
      completionTokens: 400,
      cost: 27_000n,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).balance).toBe(-27_000n);
  });

  it("rows written without cache writes read 0", async () => {
    await db.requestLog.create({ data: { id: `req_plain_${provider}`, userId, endpoint: "/v1/chat/completions", status: 200, promptTokens: 5 } });
    expect(await db.requestLog.findUniqueOrThrow({ where: { id: `req_plain_${provider}` } })).toMatchObject({ cacheWriteTokens: 0, cacheWrite1hTokens: 0 });
  });
});
