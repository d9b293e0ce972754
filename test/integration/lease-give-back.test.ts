import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlitePath } from "@/lib/db/url";
import { PostgresHotStore } from "@/lib/gateway/store/postgres-store";
import { SqliteHotStore } from "@/lib/gateway/store/sqlite-store";
import type { HotStore, LeaseRef } from "@/lib/gateway/store/types";
import { databaseProviders } from "../helpers/database-matrix";
import { GatewayWorld } from "../helpers/gateway-world";

/**
 * Giving a lease back is retried until it succeeds, and a retry cannot know whether the attempt it
 * repeats committed (the connection can drop between COMMIT and its answer). Taking more than the
 * lease still holds took funds from `held` that back other leases and holds: the user could then
 * overdraw. Both stores cap what they take at what the lease holds.
 */
describe.each(await databaseProviders())("giving a funds lease back on %s", (provider) => {
  const world = new GatewayWorld();
  let store: HotStore & { close(): Promise<void> };

  beforeAll(async () => {
    await world.setUp(provider);
    store = provider === "postgresql" ? new PostgresHotStore(world.url) : new SqliteHotStore(sqlitePath(world.url));
  });

  afterAll(async () => {
    await store?.close();
    await world.tearDown();
  });

  const lease = (instanceId: string, subjectId: string, n: number): LeaseRef => ({ id: `${instanceId}:${n}`, instanceId, subject: "user", subjectId });
  const expires = () => new Date(Date.now() + 60_000);

  it("twice (a retry after a lost answer) never gives back more than the lease holds", async () => {
    const { user } = await world.user(1_000_000n);
    const mine = lease("instance-a", user.id, 1);
    const theirs = lease("instance-b", user.id, 1);
    expect(await store.growLease(mine, 300_000n, expires())).toBe(true);
    expect(await store.growLease(theirs, 200_000n, expires())).toBe(true);
    // 100,000 of mine were spent by requests whose settlement is still queued: 200,000 go back.
    await store.shrinkLease(mine, 200_000n);
    await store.shrinkLease(mine, 200_000n); // the retry
    const after = await world.balance(user.id);
    // Mine holds nothing more, the other instance's lease is whole.
    expect(after.held).toBe(200_000n);
    expect(await world.db.fundsLease.findMany({ where: { subjectId: user.id }, select: { id: true, amount: true }, orderBy: { id: "asc" } })).toEqual([
      { id: theirs.id, amount: 200_000n },
    ]);
    // The queued settlement then finds its lease gone: it charges the balance and leaves `held` alone.
    await store.settle({
      users: [{ userId: user.id, cost: 100_000n }],
      keys: [],
      leases: [{ ...mine, amount: 100_000n }],
      usage: [{ id: "u1", userId: user.id, cost: 100_000n, requestId: `req_giveback_${provider}`, model: "m", createdAt: new Date() }],
      logs: [],
    });
    expect(await world.balance(user.id)).toEqual({ balance: 900_000n, held: 200_000n, ledgerSum: 900_000n });
  });

  it("gives back only what is left in a lease when asked for more", async () => {
    const { user } = await world.user(1_000_000n);
    const mine = lease("instance-c", user.id, 1);
    const theirs = lease("instance-d", user.id, 1);
    await store.growLease(mine, 50_000n, expires());
    await store.growLease(theirs, 70_000n, expires());
    await store.shrinkLease(mine, 30_000n);
    expect((await world.balance(user.id)).held).toBe(90_000n);
    await store.shrinkLease(mine, 30_000n); // only 20,000 left in it
    expect((await world.balance(user.id)).held).toBe(70_000n);
    expect(await world.db.fundsLease.count({ where: { id: mine.id } })).toBe(0);
  });
});
