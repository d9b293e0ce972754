import { describe, expect, it, vi } from "vitest";
import { FundsLeases } from "@/lib/gateway/funds/leases";
import type { LeaseRef, LeaseStore } from "@/lib/gateway/store/types";
import { logger } from "@/lib/observability/log";

/** The lease store's contract, in memory: `free` funds per subject, `held` what leases reserve. */
class MemoryLeaseStore implements LeaseStore {
  readonly free = new Map<string, bigint>();
  readonly held = new Map<string, bigint>();
  readonly rows = new Map<string, { ref: LeaseRef; amount: bigint; expiresAt: Date }>();
  readonly growths: bigint[] = [];

  constructor(funds: Record<string, bigint>) {
    for (const [subject, amount] of Object.entries(funds)) this.free.set(subject, amount);
  }

  private move(ref: LeaseRef, amount: bigint) {
    const subject = `${ref.subject}:${ref.subjectId}`;
    this.free.set(subject, (this.free.get(subject) ?? 0n) - amount);
    this.held.set(subject, (this.held.get(subject) ?? 0n) + amount);
  }

  async growLease(ref: LeaseRef, amount: bigint, expiresAt: Date, keepFree = 0n) {
    await new Promise((resolve) => setTimeout(resolve, 1)); // a database round trip
    if ((this.free.get(`${ref.subject}:${ref.subjectId}`) ?? 0n) < amount + keepFree) return false;
    this.move(ref, amount);
    const row = this.rows.get(ref.id);
    this.rows.set(ref.id, { ref, amount: (row?.amount ?? 0n) + amount, expiresAt });
    this.growths.push(amount);
    return true;
  }

  async shrinkLease(ref: LeaseRef, amount: bigint) {
    const row = this.rows.get(ref.id);
    if (!row) return;
    row.amount -= amount;
    this.move(ref, -amount);
    if (row.amount <= 0n) this.rows.delete(ref.id);
  }

  async renewLeases(instanceId: string, expiresAt: Date) {
    const alive = [...this.rows.values()].filter((row) => row.ref.instanceId === instanceId);
    for (const row of alive) row.expiresAt = expiresAt;
    return new Set(alive.map((row) => row.ref.id));
  }

  async releaseLeases(filter: { expiredBefore: Date } | { instanceId: string }) {
    const gone = [...this.rows.values()].filter((row) => ("instanceId" in filter ? row.ref.instanceId === filter.instanceId : row.expiresAt < filter.expiredBefore));
    for (const row of gone) {
      this.move(row.ref, -row.amount);
      this.rows.delete(row.ref.id);
    }
    return gone.length;
  }
}

const OPTIONS = { ttlMs: 3_000, idleMs: 1_000, growthFactor: 8n };

describe("funds leases", () => {
  it("serves concurrent reservations from a few generous growths, never beyond the funds", async () => {
    const store = new MemoryLeaseStore({ "user:u": 1_000n });
    const leases = new FundsLeases(() => store, OPTIONS);
    const reservations = await Promise.all(Array.from({ length: 20 }, () => leases.reserve("user", "u", 10n)));
    expect(reservations.every((r) => r?.amount === 10n)).toBe(true);
    expect(store.growths).toEqual([80n, 80n, 80n]);
    expect(store.held.get("user:u")).toBe(240n);
    expect(store.free.get("user:u")).toBe(760n);
  });

  it("grows generously only while that leaves as much free for other instances", async () => {
    for (const [funds, growth] of [[160n, 80n], [159n, 10n]] as const) {
      const store = new MemoryLeaseStore({ "user:u": funds });
      await new FundsLeases(() => store, OPTIONS).reserve("user", "u", 10n);
      expect(store.growths).toEqual([growth]);
    }
  });

  it("grows by exactly what is missing when a generous growth does not fit, then refuses", async () => {
    const store = new MemoryLeaseStore({ "user:u": 25n });
    const leases = new FundsLeases(() => store, OPTIONS);
    expect(await leases.reserve("user", "u", 10n)).not.toBeNull();
    expect(await leases.reserve("user", "u", 10n)).not.toBeNull();
    expect(await leases.reserve("user", "u", 10n)).toBeNull();
    expect(store.growths).toEqual([10n, 10n]);
    // Racing for the last funds: exactly one of two wins.
    const store2 = new MemoryLeaseStore({ "key:k": 15n });
    const leases2 = new FundsLeases(() => store2, OPTIONS);
    const raced = await Promise.all([leases2.reserve("key", "k", 10n), leases2.reserve("key", "k", 10n)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
  });

  it("frees what a request did not spend and gives an idle lease back", async () => {
    const store = new MemoryLeaseStore({ "user:u": 1_000n });
    const leases = new FundsLeases(() => store, OPTIONS);
    const reservation = (await leases.reserve("user", "u", 10n))!;
    expect(leases.finish(reservation, 4n)).toBe(4n); // settlement takes these 4 from the lease
    expect(leases.finish((await leases.reserve("user", "u", 76n))!, 0n)).toBe(0n); // the rest is free again: no growth
    expect(store.growths).toEqual([80n]);

    await leases.maintain(Date.now() + 500);
    expect(store.held.get("user:u")).toBe(80n); // not idle yet
    await leases.maintain(Date.now() + OPTIONS.idleMs);
    expect(store.held.get("user:u")).toBe(4n); // what settlement has yet to take
    expect([...store.rows.values()].map((row) => row.amount)).toEqual([4n]);
  });

  it("gives an idle lease back later when the database was away, although renewal keeps its row alive", async () => {
    const store = new MemoryLeaseStore({ "user:u": 1_000n });
    const leases = new FundsLeases(() => store, OPTIONS);
    leases.finish((await leases.reserve("user", "u", 10n))!, 0n);
    const shrink = vi.spyOn(store, "shrinkLease").mockRejectedValueOnce(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    const renew = vi.spyOn(store, "renewLeases");
    await leases.maintain(Date.now() + OPTIONS.ttlMs);
    expect(store.held.get("user:u")).toBe(80n);
    expect(renew).toHaveBeenCalledTimes(1); // the failure did not stop the other leases' renewal
    // Renewal (every row of the instance) keeps the row from expiring; the next round gives it back.
    await leases.maintain(Date.now() + 2 * OPTIONS.ttlMs);
    expect(shrink).toHaveBeenCalledTimes(2);
    expect(store.held.get("user:u")).toBe(0n);
    expect(store.rows.size).toBe(0);
  });

  it("stops counting on a lease another instance gave back, and starts a new one", async () => {
    const store = new MemoryLeaseStore({ "user:u": 1_000n });
    const leases = new FundsLeases(() => store, OPTIONS);
    const before = (await leases.reserve("user", "u", 10n))!;
    await store.releaseLeases({ expiredBefore: new Date(Date.now() + 60_000) }); // as if this instance had stalled
    const warned = vi.spyOn(logger("funds"), "warn").mockImplementation(() => undefined);
    await leases.maintain(Date.now() + OPTIONS.ttlMs);
    expect(warned.mock.calls.map((call) => call[0])).toEqual([{ event: "lease.reclaimed", leaseId: before.lease.ref.id, subject: "user", subjectId: "u" }]);
    warned.mockRestore();
    expect(leases.finish(before, 10n)).toBe(0n); // its cost is charged, but not to a lease that no longer exists

    const after = (await leases.reserve("user", "u", 10n))!;
    expect(after.lease.ref.id).not.toBe(before.lease.ref.id);
    expect(store.held.get("user:u")).toBe(80n);
    await leases.releaseAll();
    expect(store.held.get("user:u")).toBe(0n);
    expect(store.rows.size).toBe(0);
  });

  it("checks its lease still exists before lending from it after a long pause", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const store = new MemoryLeaseStore({ "user:u": 1_000n });
      const leases = new FundsLeases(() => store, OPTIONS);
      const first = (await leases.reserve("user", "u", 10n))!;
      leases.finish(first, 0n);
      // Frozen (a suspended serverless instance) past the TTL: another instance gave the lease back.
      await store.releaseLeases({ expiredBefore: new Date(Date.now() + 60_000) });
      vi.setSystemTime(Date.now() + OPTIONS.ttlMs);
      const second = (await leases.reserve("user", "u", 10n))!;
      expect(second.lease.ref.id).not.toBe(first.lease.ref.id);
      expect(store.held.get("user:u")).toBe(80n); // backed by a new lease
    } finally {
      vi.useRealTimers();
    }
  });
});
