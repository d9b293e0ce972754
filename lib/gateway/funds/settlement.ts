import type { Db } from "../../db/client";
import { releaseHold, type Hold } from "./holds";
import type { FundsLeases } from "./leases";
import type { JournaledSettlement } from "./settlement-journal";
import type { HotStore } from "../store";
import { isDatabaseUnavailable } from "../store/unavailable";
import type { KeySettlement, LeaseSpend, LogRow, UsageEntry, UserSettlement } from "../store/types";
import { observeSettlementBatch, recordRequest } from "../../observability/metrics";
import { logger } from "../../observability/log";

const log = logger("settlement");

/**
 * The end of every /v1 request: its RequestLog row and, when it cost something, the USAGE ledger
 * entry that moves the money and releases its hold. Written with group commit: a flush starts at
 * once when none is running, and requests finishing meanwhile join the next one, so an answer
 * waits about one transaction for its settlement (see `settle`) and batches grow with the load.
 * Flushed on shutdown, so a request that reached an upstream is never left unlogged or unbilled;
 * what a database down for the whole shutdown cannot take is handed over for the journal instead.
 */
/** One RequestLog row, exactly as the store writes it. */
export type RequestRecord = LogRow;

interface Settlement {
  record: RequestRecord;
  /** What the request's cost takes out of leases. */
  spends: LeaseSpend[];
  /** Ends the wait of whoever holds the answer back (written, or kept for a retry). */
  done: () => void;
}

const BATCH_SIZE = 256;
const RETRY_DELAY_MS = 1_000;
const CONFLICT_RETRY_MIN_MS = 20;
/** The longest an answer waits for its settlement's commit (normally about one transaction). */
const ACK_WAIT_LIMIT_MS = 2_000;

export class SettlementQueue {
  private queue: Settlement[] = [];
  private timer: NodeJS.Immediate | null = null;
  private flushing: Promise<void> | null = null;
  /** Items waiting out a pause before they are retried. */
  private readonly waiting = new Set<Settlement>();
  /** The batch being written. */
  private writing: Settlement[] = [];
  /** Handed over at shutdown (drainWithin): no longer written or retried here. */
  private abandoned = false;

  constructor(
    private readonly store: () => HotStore,
    private readonly db: () => Db,
    private readonly leases: FundsLeases,
  ) {}

  /**
   * Queues a finished request: cost charged to the user (and key), hold released. Resolves once
   * that is committed, so an answer held back until then survives a crash of this instance. When
   * the database cannot take it, it resolves all the same (the answer is not held hostage to an
   * outage) and the settlement stays queued in memory, retried until it lands.
   */
  settle(record: RequestRecord, hold: Hold | null): Promise<void> {
    recordRequest(record);
    const spends = hold ? releaseHold(this.leases, hold, record.cost) : [];
    return new Promise<void>((resolve) => {
      // A write that hangs (a database dying mid-transaction) must not hang the answer with it:
      // past this wait the answer goes out and the settlement stays queued like any other.
      const limit = setTimeout(resolve, ACK_WAIT_LIMIT_MS);
      const done = () => (clearTimeout(limit), resolve());
      this.queue.push({ record, spends, done });
      this.schedule();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far (shutdown, tests). */
  async drain(): Promise<void> {
    while (!this.abandoned && (this.queue.length || this.flushing || this.waiting.size)) {
      if (this.timer) clearImmediate(this.timer), (this.timer = null);
      // Only retries waiting for their pause: wait for them to come back to the queue.
      if (!this.queue.length && !this.flushing) await new Promise((resolve) => setTimeout(resolve, 50));
      else await (this.flushing ?? this.flush());
    }
  }

  /**
   * Shutdown: writes everything queued, for at most `ms`. Past that the database is down (or hangs)
   * and what it has not taken is returned — for the journal, written by a later start — and no
   * longer written or retried here. A write still hanging may yet commit: the journal's copy is then
   * skipped as a duplicate.
   */
  async drainWithin(ms: number): Promise<JournaledSettlement[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
    const drained = await Promise.race([this.drain().then(() => true), deadline]);
    clearTimeout(timer);
    if (drained) return [];
    this.abandoned = true;
    // One item can be in two places (a batch written one by one puts its failures up for a retry).
    const left = new Set([...this.writing, ...this.waiting, ...this.queue]);
    this.queue = [];
    this.waiting.clear();
    return [...left].map(({ record, spends }) => ({ record, spends }));
  }

  /**
   * Writes what an earlier run journaled at shutdown: whatever is already in the database is
   * skipped; what it refuses for good is returned (kept in the journal). Throws while the database
   * is unavailable: the journal stays for the next start.
   */
  async settleJournaled(items: readonly JournaledSettlement[]): Promise<JournaledSettlement[]> {
    const refused: JournaledSettlement[] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      const batch = items.slice(i, i + BATCH_SIZE).map((item) => ({ ...item, done: () => {} }));
      try {
        await this.write(batch);
        continue;
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
      }
      // Some of it was settled before (or one item is refused): one by one.
      for (const item of batch) {
        for (let attempt = 1; ; attempt++) {
          try {
            await this.write([item]);
          } catch (error) {
            if (isDatabaseUnavailable(error) || (isConflict(error) && attempt >= 5)) throw error;
            if (isConflict(error)) {
              await new Promise((resolve) => setTimeout(resolve, CONFLICT_RETRY_MIN_MS * attempt));
              continue;
            }
            if (!isDuplicate(error)) {
              log.error({ event: "settlement.journal_refused", requestId: item.record.id, err: error }, "The database refused a journaled settlement; it stays in the journal");
              refused.push({ record: item.record, spends: item.spends });
            }
          }
          break;
        }
      }
    }
    return refused;
  }

  /** A flush on the next turn of the event loop (requests finishing in this one join it), unless one runs: it reschedules when it ends. */
  private schedule(): void {
    if (this.flushing || this.timer || this.abandoned) return;
    // setImmediate, not setTimeout(0): a timer waits at least a millisecond, and every answer waits
    // for this flush.
    this.timer = setImmediate(() => {
      this.timer = null;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = this.queue.splice(0, BATCH_SIZE);
    if (!batch.length) return Promise.resolve();
    this.writing = batch;
    const started = performance.now();
    this.flushing = this.write(batch)
      .then(() => {
        observeSettlementBatch(performance.now() - started);
        for (const item of batch) item.done();
      })
      .catch(async (error: unknown) => {
        if (isConflict(error)) {
          // Nothing wrong with the batch: it lost a race with another transaction. Whole, and soon;
          // its answers keep waiting (within ACK_WAIT_LIMIT_MS) for the commit.
          log.warn({ event: "settlement.conflict", requests: batch.length, code: (error as { code?: string }).code }, "Settling a batch collided with another transaction; retrying it");
          this.retrySoon(batch);
          return;
        }
        if (isDatabaseUnavailable(error)) {
          // Nothing can be written now; one by one would only fail again, item by item.
          log.error({ event: "settlement.retry", requests: batch.length, retryInMs: RETRY_DELAY_MS, error: (error as Error).message }, "Settling failed: the database is unavailable; will retry");
          this.retryLater(batch);
          return;
        }
        log.error({ event: "settlement.batch_failed", requests: batch.length, err: error }, "Settling a batch failed; retrying one by one");
        await this.writeIndividually(batch);
      })
      .finally(() => {
        this.flushing = null;
        this.writing = [];
        if (this.queue.length) this.schedule();
      });
    return this.flushing;
  }

  private async writeIndividually(batch: Settlement[]): Promise<void> {
    for (const item of batch) {
      try {
        await this.write([item]);
      } catch (error) {
        if (!isDuplicate(error)) {
          log.error({ event: "settlement.retry", requestId: item.record.id, retryInMs: RETRY_DELAY_MS, err: error }, "Settling a request failed; will retry");
          this.retryLater([item]);
        } // else: already settled by an earlier attempt
      }
      item.done();
    }
  }

  /** Back to the front of the queue after a short random pause, so colliding instances do not collide again. */
  private retrySoon(items: Settlement[]): void {
    for (const item of items) this.waiting.add(item);
    setTimeout(() => {
      if (this.abandoned) return;
      for (const item of items) this.waiting.delete(item);
      this.queue.unshift(...items);
      this.schedule();
    }, CONFLICT_RETRY_MIN_MS + Math.random() * CONFLICT_RETRY_MIN_MS).unref();
  }

  /**
   * Keeps what could not be written: money and logs must not be dropped. It goes back to the queue
   * after a pause; a batch that did commit although its acknowledgement was lost fails the retry as
   * a duplicate and is then skipped item by item, so nothing is settled twice.
   */
  private retryLater(items: Settlement[]): void {
    for (const item of items) item.done(), this.waiting.add(item);
    setTimeout(() => {
      if (this.abandoned) return;
      for (const item of items) this.waiting.delete(item);
      this.queue.push(...items);
      this.schedule();
    }, RETRY_DELAY_MS).unref();
  }

  private async write(batch: Settlement[]): Promise<void> {
    const users = new Map<string, UserSettlement>();
    const keys = new Map<string, KeySettlement>();
    const leases = new Map<string, LeaseSpend>();
    const usage: UsageEntry[] = [];
    for (const { record, spends } of batch) {
      if (record.userId && record.cost > 0n) {
        const user = users.get(record.userId) ?? { userId: record.userId, cost: 0n };
        user.cost += record.cost;
        users.set(record.userId, user);
      }
      if (record.apiKeyId && record.userId) {
        const key = keys.get(record.apiKeyId) ?? { keyId: record.apiKeyId, cost: 0n, lastUsed: record.createdAt };
        key.cost += record.cost;
        if (record.createdAt > key.lastUsed) key.lastUsed = record.createdAt;
        keys.set(record.apiKeyId, key);
      }
      for (const spend of spends) {
        const lease = leases.get(spend.id);
        if (lease) lease.amount += spend.amount;
        else leases.set(spend.id, { ...spend });
      }
      if (record.userId && record.cost > 0n) {
        usage.push({ id: record.id, userId: record.userId, cost: record.cost, requestId: record.id, model: record.model, createdAt: record.createdAt });
      }
    }
    const after = await this.store().settle({ users: [...users.values()], keys: [...keys.values()], leases: [...leases.values()], usage, logs: batch.map((s) => s.record) });
    // Users whose balance fell below their auto-recharge threshold (read from the same UPDATE: no extra query).
    const belowThreshold = [...after]
      .filter(([userId, u]) => (users.get(userId)?.cost ?? 0n) > 0n && u.autoRechargeEnabled && u.autoRechargeThreshold !== null && u.balance < u.autoRechargeThreshold)
      .map(([userId]) => userId);
    if (belowThreshold.length) requestAutoRecharge(this.db(), belowThreshold);
  }
}

/** Fire-and-forget, after the batch committed; the Stripe code is only loaded once someone needs it. */
function requestAutoRecharge(db: Db, userIds: string[]): void {
  import("../../billing/stripe/auto-recharge")
    .then(({ triggerAutoRecharge }) => triggerAutoRecharge(db, userIds))
    .catch((error: unknown) => log.error({ event: "auto_recharge.start_failed", err: error }, "Starting auto-recharge failed"));
}

/** A deadlock, serialization failure or lock wait given up (PostgreSQL), or a busy file (SQLite): try again. */
const isConflict = (error: unknown) => ["40P01", "40001", "55P03", "SQLITE_BUSY"].includes((error as { code?: string }).code ?? "");

/** A request settled before (its log row or ledger entry exists): nothing to do twice. */
const isDuplicate = (error: unknown) => {
  const { code } = error as { code?: string };
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
};
