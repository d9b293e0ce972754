import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlitePath } from "@/lib/db/url";
import { SqliteHotStore } from "@/lib/gateway/store/sqlite-store";
import type { LogRow } from "@/lib/gateway/store/types";
import { GatewayWorld } from "../helpers/gateway-world";

const row = (id: string): LogRow => ({
  id, userId: null, apiKeyId: null, channelId: null, model: "m", upstreamModel: null, endpoint: "/v1/chat/completions", stream: false, status: 401,
  promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0, cost: 0n, estimated: false,
  latencyMs: 1, ttfbMs: null, attempts: 0, errorCode: "invalid_api_key", errorMessage: "x".repeat(400), createdAt: new Date(),
});

/**
 * The gateway's SQLite connection leaves checkpoints to a worker thread: its commits (which answers
 * wait for) never copy the write-ahead log back into the database file themselves.
 */
describe("SQLite checkpoints off the event loop", () => {
  const world = new GatewayWorld();
  let store: SqliteHotStore;

  beforeAll(async () => {
    await world.setUp("sqlite");
    // A checkpoint only when the test asks for one.
    store = new SqliteHotStore(sqlitePath(world.url), { backgroundCheckpoints: true, checkpointEveryMs: 3_600_000 });
  });

  afterAll(async () => {
    await store?.close();
    await world.tearDown();
  });

  it("commits far past SQLite's 1,000-page threshold without checkpointing; the worker copies every frame back", async () => {
    for (let batch = 0; batch < 60; batch++) {
      const logs = Array.from({ length: 200 }, (_, i) => row(`req_ckpt_${batch}_${i}`));
      await store.settle({ users: [], keys: [], leases: [], usage: [], logs });
    }
    const done = await store.checkpoint();
    // Left to SQLite, a commit would have checkpointed (and the log restarted) every ~1,000 pages.
    expect(done!.log).toBeGreaterThan(3_000);
    expect(done!.checkpointed).toBe(done!.log);
    expect(done!.busy).toBe(0);
    expect(await world.db.requestLog.count({ where: { id: { startsWith: "req_ckpt_" } } })).toBe(12_000);
  });
});
