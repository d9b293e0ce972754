import { describe, expect, it } from "vitest";
import { SettlementQueue, type RequestRecord } from "@/lib/gateway/funds/settlement";
import { FundsLeases } from "@/lib/gateway/funds/leases";
import type { HotStore, SettleBatch } from "@/lib/gateway/store/types";
import type { Db } from "@/lib/db/client";

/** A store whose settle transactions the test commits (or fails) by hand. */
class ManualStore {
  readonly batches: Array<{ ids: string[]; commit: () => void; fail: (error: Error) => void }> = [];
  settle(batch: SettleBatch) {
    return new Promise<Map<string, unknown>>((resolve, reject) => {
      this.batches.push({ ids: batch.logs.map((l) => l.id), commit: () => resolve(new Map()), fail: reject });
    });
  }
}

const record = (id: string): RequestRecord => ({
  id, userId: null, apiKeyId: null, channelId: null, model: "m", upstreamModel: null, endpoint: "/v1/chat/completions", stream: false, status: 200,
  promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0, cost: 0n, estimated: false,
  latencyMs: 1, ttfbMs: 1, attempts: 1, errorCode: null, errorMessage: null, createdAt: new Date(),
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function queue() {
  const store = new ManualStore();
  const hot = () => store as unknown as HotStore;
  return { store, settlements: new SettlementQueue(hot, () => ({}) as Db, new FundsLeases(hot)) };
}

describe("settlement queue (group commit)", () => {
  it("resolves a settlement only once its transaction committed, starting it at once", async () => {
    const { store, settlements } = queue();
    let written = false;
    void settlements.settle(record("a"), null).then(() => (written = true));
    await tick();
    expect(store.batches.map((b) => b.ids)).toEqual([["a"]]);
    expect(written).toBe(false);
    store.batches[0]!.commit();
    await tick();
    expect(written).toBe(true);
  });

  it("gathers what finishes during a running transaction into the next one", async () => {
    const { store, settlements } = queue();
    const done: string[] = [];
    const settle = (id: string) => void settlements.settle(record(id), null).then(() => done.push(id));
    settle("a");
    await tick();
    settle("b");
    settle("c");
    await tick();
    expect(store.batches.map((b) => b.ids)).toEqual([["a"]]); // b and c wait for a's transaction
    store.batches[0]!.commit();
    await tick();
    expect(done).toEqual(["a"]);
    expect(store.batches.map((b) => b.ids)).toEqual([["a"], ["b", "c"]]);
    store.batches[1]!.commit();
    await tick();
    expect(done).toEqual(["a", "b", "c"]);
  });

  it("lets the answer go when the database is unreachable, and keeps the settlement for a retry", async () => {
    const { store, settlements } = queue();
    let released = false;
    void settlements.settle(record("a"), null).then(() => (released = true));
    await tick();
    store.batches[0]!.fail(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    await tick();
    expect(released).toBe(true);
    const drained = settlements.drain();
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the retry pause
    expect(store.batches.map((b) => b.ids)).toEqual([["a"], ["a"]]);
    store.batches[1]!.commit();
    await drained;
  });

  it("retries a batch that lost a deadlock whole and soon, its answers waiting for the commit", async () => {
    const { store, settlements } = queue();
    const done: string[] = [];
    for (const id of ["a", "b"]) void settlements.settle(record(id), null).then(() => done.push(id));
    await tick();
    store.batches[0]!.fail(Object.assign(new Error("deadlock detected"), { code: "40P01" }));
    await new Promise((resolve) => setTimeout(resolve, 60)); // the short random pause, not the outage's second
    // The same two together again, not one by one; nobody answered yet.
    expect(store.batches.map((b) => b.ids)).toEqual([["a", "b"], ["a", "b"]]);
    expect(done).toEqual([]);
    store.batches[1]!.commit();
    await tick();
    expect(done).toEqual(["a", "b"]);
  });
});

const unreachable = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });

describe("settlement queue at shutdown (drainWithin)", () => {
  it("hands over what an unreachable database has not taken by the deadline, and stops retrying it", async () => {
    const { store, settlements } = queue();
    for (const id of ["a", "b"]) void settlements.settle(record(id), null);
    await tick();
    store.batches[0]!.fail(unreachable());
    const left = await settlements.drainWithin(300);
    expect(left.map((s) => s.record.id)).toEqual(["a", "b"]);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the retry pause
    expect(store.batches).toHaveLength(1);
    expect(settlements.pending).toBe(0);
  });

  it("hands over a batch whose write hangs, and what queued behind it, once each", async () => {
    const { store, settlements } = queue();
    void settlements.settle(record("a"), null);
    await tick();
    void settlements.settle(record("b"), null);
    const left = await settlements.drainWithin(100);
    expect(left.map((s) => s.record.id)).toEqual(["a", "b"]);
    expect(store.batches.map((b) => b.ids)).toEqual([["a"]]);
  });

  it("hands over nothing when everything is written in time", async () => {
    const { store, settlements } = queue();
    void settlements.settle(record("a"), null);
    await tick();
    setTimeout(() => store.batches[0]!.commit(), 20);
    expect(await settlements.drainWithin(1_000)).toEqual([]);
  });
});

/** A database that already holds some settlements and refuses others for good. */
class RuleStore {
  readonly written: string[][] = [];
  constructor(
    private readonly settled: Set<string>,
    private readonly rule: (id: string) => Error | null = () => null,
  ) {}
  async settle(batch: SettleBatch) {
    const ids = batch.logs.map((l) => l.id);
    for (const id of ids) {
      if (this.settled.has(id)) throw Object.assign(new Error("duplicate key"), { code: "23505" });
      const error = this.rule(id);
      if (error) throw error;
    }
    ids.forEach((id) => this.settled.add(id));
    this.written.push(ids);
    return new Map();
  }
}

function journalQueue(store: RuleStore) {
  const hot = () => store as unknown as HotStore;
  return new SettlementQueue(hot, () => ({}) as Db, new FundsLeases(hot));
}

describe("settling a journal (settleJournaled)", () => {
  const journaled = (...ids: string[]) => ids.map((id) => ({ record: record(id), spends: [] }));

  it("writes the journal in one batch when none of it is settled yet", async () => {
    const store = new RuleStore(new Set());
    expect(await journalQueue(store).settleJournaled(journaled("a", "b", "c"))).toEqual([]);
    expect(store.written).toEqual([["a", "b", "c"]]);
  });

  it("skips what is settled already (a write that committed after all), so nothing is charged twice", async () => {
    const store = new RuleStore(new Set(["b"]));
    expect(await journalQueue(store).settleJournaled(journaled("a", "b", "c"))).toEqual([]);
    expect(store.written).toEqual([["a"], ["c"]]);
  });

  it("returns what the database refuses for good, writing the rest", async () => {
    const store = new RuleStore(new Set(), (id) => (id === "b" ? new Error("settlement for unknown user u") : null));
    const refused = await journalQueue(store).settleJournaled(journaled("a", "b", "c"));
    expect(refused.map((s) => s.record.id)).toEqual(["b"]);
    expect(store.written).toEqual([["a"], ["c"]]);
  });

  it("throws while the database is unavailable, so the journal is kept", async () => {
    const store = new RuleStore(new Set(), () => unreachable());
    await expect(journalQueue(store).settleJournaled(journaled("a"))).rejects.toThrow("ECONNREFUSED");
  });
});
