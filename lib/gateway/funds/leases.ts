import { randomUUID } from "node:crypto";
import type { LeaseRef, LeaseStore, LeaseSubject } from "../store/types";
import { logger } from "../../observability/log";

const log = logger("funds");

/**
 * Funds reserved in bulk and handed to requests in memory. Reserving each request's upper-bound
 * cost with its own conditional UPDATE cost a database write per request (on PostgreSQL a commit
 * waiting for its WAL flush) on the request's path. Instead each instance leases a slice of a
 * user's balance (or a key's budget) — added to `held` like any hold, so other instances and the
 * portal see it reserved — and takes requests' reservations out of it without touching the
 * database. The lease grows when it runs short, shrinks as settlement spends it, goes back when the
 * subject has nothing in flight for a moment and at shutdown; if the instance dies, any instance
 * gives it back once it stops being renewed. Concurrent requests still never overdraw: every
 * reservation is backed by held funds that the conditional UPDATE granted.
 */
export interface LeaseOptions {
  /** A lease its instance has not renewed for this long is given back by whoever sees it (the instance died). */
  ttlMs: number;
  /** A subject with nothing in flight for this long gets the rest of its lease back. */
  idleMs: number;
  /**
   * A lease that runs short grows by this many times the request's reservation (fewer writes) when
   * that leaves at least as much free for other instances; otherwise by exactly what is missing.
   */
  growthFactor: bigint;
}

export const DEFAULT_LEASE_OPTIONS: LeaseOptions = { ttlMs: 60_000, idleMs: 2_000, growthFactor: 8n };

/** One instance's lease on one subject, and how much of it its requests in flight use. */
class Lease {
  amount = 0n;
  used = 0n;
  lastActive = Date.now();
  /** Counts growths, so renewal can tell a lease that was lost from one created meanwhile. */
  generation = 0;
  growing: Promise<bigint> | null = null;
  /** Given back by another instance: backs nothing any more. */
  lost = false;

  constructor(readonly ref: LeaseRef) {}

  get free(): bigint {
    return this.amount - this.used;
  }
}

/** What one request took from a lease. */
export interface Reservation {
  readonly lease: Lease;
  readonly amount: bigint;
}

export class FundsLeases {
  readonly instanceId = randomUUID();
  private readonly leases = new Map<string, Lease>();
  private created = 0;
  private lastRenewal = Date.now();
  private renewing: Promise<void> | null = null;
  /** Idle leases taken out of use whose funds are not yet given back. */
  private readonly givingBack: Lease[] = [];

  constructor(
    private readonly store: () => LeaseStore,
    private readonly options: LeaseOptions = DEFAULT_LEASE_OPTIONS,
  ) {}

  /** Reserves `amount` of the subject's free funds for one request; null when they cannot cover it. */
  async reserve(subject: LeaseSubject, subjectId: string, amount: bigint): Promise<Reservation | null> {
    // Leases are renewed every ttl/3. Much later than that (a frozen serverless instance, a stalled
    // event loop) one may have expired and been given back: find out before lending from it.
    if (Date.now() - this.lastRenewal > this.options.ttlMs / 2) await this.renew(Date.now());
    const key = `${subject}:${subjectId}`;
    for (;;) {
      let lease = this.leases.get(key);
      // Each lease its own row id: settlement still on its way for a lease given back (idle, or
      // lost) can never take from the lease that replaced it.
      if (!lease) this.leases.set(key, (lease = new Lease({ id: `${this.instanceId}:${++this.created}`, instanceId: this.instanceId, subject, subjectId })));
      lease.lastActive = Date.now();
      if (lease.free >= amount) {
        lease.used += amount;
        return { lease, amount };
      }
      // One growth at a time per lease; whoever waited looks again once it is done.
      if (lease.growing) {
        await lease.growing;
        continue;
      }
      if ((await this.grow(lease, amount)) === 0n) return null;
    }
  }

  /**
   * The request ended having spent `cost`: returns how much of it came out of the lease (settlement
   * takes that from the lease and from `held` when it books the cost); the rest is free again.
   */
  finish(reservation: Reservation, cost: bigint): bigint {
    const { lease, amount } = reservation;
    const spent = lease.lost ? 0n : cost < amount ? cost : amount;
    lease.used -= amount;
    lease.amount -= spent;
    lease.lastActive = Date.now();
    return spent;
  }

  /** Periodic work: gives idle leases back, renews the others, gives back those of dead instances. */
  async maintain(now = Date.now()): Promise<void> {
    const idle = [...this.leases].filter(([, lease]) => lease.used === 0n && !lease.growing && now - lease.lastActive >= this.options.idleMs);
    for (const [key, lease] of idle) {
      this.leases.delete(key);
      this.givingBack.push(lease);
    }
    // Renewal extends every row of this instance, forgotten ones too: a lease whose give-back failed
    // (the database was away) would stay held for ever, so it is tried again until it succeeds.
    // Trying again after a failure is safe: a failed transaction changed nothing, and one that did
    // commit (its answer lost) cannot give back more than the lease still holds. A failure must not
    // stop the renewal below, or every lease of this instance would be lost.
    for (const lease of this.givingBack.splice(0)) {
      try {
        await this.store().shrinkLease(lease.ref, lease.amount);
      } catch (error) {
        this.givingBack.push(lease);
        log.error({ event: "lease.give_back_failed", leaseId: lease.ref.id, error: (error as Error).message }, "Giving back a funds lease failed; will retry");
      }
    }
    if (now - this.lastRenewal >= this.options.ttlMs / 3) {
      await this.renew(now);
      await this.store().releaseLeases({ expiredBefore: new Date(now) });
    }
  }

  /** Runs `maintain` every half second until the returned function is called. */
  start(): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.maintain()
        .catch((error: unknown) => log.error({ event: "leases.maintain_failed", err: error }, "Maintaining funds leases failed"))
        .finally(() => (running = false));
    }, Math.min(500, this.options.idleMs));
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Leases this instance holds funds in (read at scrape time). */
  get held(): number {
    let held = 0;
    for (const lease of this.leases.values()) if (lease.amount > 0n) held++;
    return held;
  }

  /** Gives back every lease of this instance (shutdown, once settlement has drained). */
  async releaseAll(): Promise<void> {
    this.leases.clear();
    await this.store().releaseLeases({ instanceId: this.instanceId });
  }

  private grow(lease: Lease, amount: bigint): Promise<bigint> {
    const need = amount - lease.free;
    const generous = amount * this.options.growthFactor;
    const growth = (async () => {
      const expiresAt = new Date(Date.now() + this.options.ttlMs);
      // A generous growth takes at most half of what is free: other instances serving the same user
      // are not starved by funds this one holds for requests it may never get.
      const attempts: Array<[size: bigint, keepFree: bigint]> = generous > need ? [[generous, generous], [need, 0n]] : [[need, 0n]];
      for (const [size, keepFree] of attempts) {
        if (await this.store().growLease(lease.ref, size, expiresAt, keepFree)) {
          lease.amount += size;
          lease.generation++;
          return size;
        }
      }
      return 0n;
    })();
    lease.growing = growth;
    return growth.finally(() => {
      if (lease.growing === growth) lease.growing = null;
    });
  }

  /**
   * Extends this instance's leases. One that is gone was given back by another instance (this one
   * stopped renewing for longer than the TTL): it backs nothing any more, so it is forgotten and
   * the next request starts a new one. Requests still holding part of it settle without touching
   * `held`, which no longer includes it.
   */
  private renew(now: number): Promise<void> {
    this.renewing ??= this.renewLeases(now).finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renewLeases(now: number): Promise<void> {
    const before = [...this.leases].filter(([, lease]) => lease.amount > 0n && !lease.growing).map(([key, lease]) => ({ key, lease, generation: lease.generation }));
    const alive = await this.store().renewLeases(this.instanceId, new Date(now + this.options.ttlMs));
    this.lastRenewal = now;
    for (const { key, lease, generation } of before) {
      if (!alive.has(lease.ref.id) && lease.generation === generation && this.leases.get(key) === lease) {
        log.warn(
          { event: "lease.reclaimed", leaseId: lease.ref.id, subject: lease.ref.subject, subjectId: lease.ref.subjectId },
          "Funds lease was given back by another instance (not renewed in time); starting a new one",
        );
        lease.lost = true;
        this.leases.delete(key);
      }
    }
  }
}
