// Prompt-cache writes through the hot stores: the prices the gateway loads carry both cache-write
// rates, and a settled request's log row keeps its cache writes (all, and the 1-hour part), on
// SQLite and PostgreSQL alike; and through the real server, an upstream's cache writes are billed
// at their own rates and logged.
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
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { GatewayWorld } from "../helpers/gateway-world";

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

describe.each(await databaseProviders())("cache writes through the gateway on %s", (provider) => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  // 10000 prompt tokens = 2000 uncached + 5000 cache reads + 2000 5-minute writes + 1000 1-hour writes.
  const usage = {
    prompt_tokens: 10_000,
    completion_tokens: 400,
    total_tokens: 10_400,
    prompt_tokens_details: { cached_tokens: 5_000, cache_write_tokens: 3_000, cache_write_1h_tokens: 1_000 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  const base = { id: "chatcmpl-cache", created: 1_700_000_000, model: "upstream-model" };

  beforeAll(async () => {
    await world.setUp(provider);
    upstream = await startFakeUpstream((request) =>
      request.body.stream
        ? {
            kind: "sse",
            events: [
              `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }] })}\n\n`,
              `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
              `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\n`,
              "data: [DONE]\n\n",
            ],
          }
        : { kind: "json", body: { ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }], usage } },
    );
    await world.channel({ name: "cache", baseUrl: upstream.url, apiKey: "k", models: ["claude-cache"] });
    // $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output per 1M tokens.
    await setModelPrice(world.db, { model: "claude-cache", inputPrice: 3_000_000n, outputPrice: 15_000_000n, cachedInputPrice: 300_000n, cacheWritePrice: 3_750_000n, cacheWrite1hPrice: 6_000_000n });
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
    await upstream?.close();
  });

  for (const stream of [false, true]) {
    it(`bills and logs cache writes at their own rates${stream ? " (stream)" : ""}`, async () => {
      const caller = await world.user(100_000_000n);
      const client = world.client(caller.apiKey);
      let requestId: string | null | undefined;
      if (stream) {
        const { data, request_id } = await client.chat.completions.create({ model: "claude-cache", messages: [{ role: "user", content: "Hi" }], stream: true }).withResponse();
        for await (const _ of data) void _;
        requestId = request_id;
      } else {
        requestId = (await client.chat.completions.create({ model: "claude-cache", messages: [{ role: "user", content: "Hi" }] }))._request_id;
      }
      const log = await world.logOf(requestId!);
      // 2000 × 3 + 5000 × 0.3 + 2000 × 3.75 + 1000 × 6 + 400 × 15 = 6000 + 1500 + 7500 + 6000 + 6000 µ$
      // (billing the writes at input as well, or all prompt tokens at input, would give more or less).
      expect(log).toMatchObject({ promptTokens: 10_000, cachedTokens: 5_000, cacheWriteTokens: 3_000, cacheWrite1hTokens: 1_000, completionTokens: 400, cost: 27_000n });
      const after = await world.balance(caller.user.id);
      expect(100_000_000n - after.balance).toBe(27_000n);
      expect(after.balance).toBe(after.ledgerSum);
    });
  }
});
