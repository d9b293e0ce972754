import type { Db } from "../../db/client";
import { releaseHold, type Hold } from "./holds";
import type { FundsLeases } from "./leases";
import type { HotStore } from "../store";
import type { KeySettlement, LeaseSpend, LogRow, UsageEntry, UserSettlement } from "../store/types";
import { logger } from "../../observability/log";

const log = logger("settlement");

/**
 * The end of every /v1 request: its RequestLog row and, when it cost something, the USAGE ledger
 * entry that moves the money and releases its hold. Written behind the response in small batches
 * (one transaction per batch), so the hot path never waits for the database, and flushed on
 * shutdown so a request that reached an upstream is never left unlogged or unbilled.
 */
/** One RequestLog row, exactly as the store writes it. */
export type RequestRecord = LogRow;

interface Settlement {
  record: RequestRecord;
  /** What the request's cost takes out of leases. */
  spends: LeaseSpend[];
}

const BATCH_SIZE = 256;
const FLUSH_DELAY_MS = 20;
const RETRY_DELAY_MS = 1_000;

export class SettlementQueue {
  private queue: Settlement[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly idle: Array<() => void> = [];

  constructor(
    private readonly store: () => HotStore,
    private readonly db: () => Db,
    private readonly leases: FundsLeases,
  ) {}

  /** Queues a finished request. Cost is charged to the user (and key) and the hold released. */
  settle(record: RequestRecord, hold: Hold | null): void {
    this.queue.push({ record, spends: hold ? releaseHold(this.leases, hold, record.cost) : [] });
    if (this.queue.length >= BATCH_SIZE) this.schedule(0);
    else this.schedule(FLUSH_DELAY_MS);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queue.length || this.flushing) {
      if (this.timer) clearTimeout(this.timer), (this.timer = null);
      await (this.flushing ?? this.flush());
    }
  }

  private schedule(delay: number): void {
    if (this.flushing) return; // the running flush reschedules when it ends
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = this.queue.splice(0, BATCH_SIZE);
    if (!batch.length) return Promise.resolve();
    this.flushing = this.write(batch)
      .catch(async (error: unknown) => {
        log.error({ event: "settlement.batch_failed", requests: batch.length, err: error }, "Settling a batch failed; retrying one by one");
        await this.writeIndividually(batch);
      })
      .finally(() => {
        this.flushing = null;
        if (this.queue.length) this.schedule(this.queue.length >= BATCH_SIZE ? 0 : FLUSH_DELAY_MS);
      });
    return this.flushing;
  }

  private async writeIndividually(batch: Settlement[]): Promise<void> {
    for (const item of batch) {
      try {
        await this.write([item]);
      } catch (error) {
        if (isDuplicate(error)) continue; // already settled by an earlier attempt
        log.error({ event: "settlement.retry", requestId: item.record.id, retryInMs: RETRY_DELAY_MS, err: error }, "Settling a request failed; will retry");
        // Keep it: money and logs must not be dropped. It goes back to the queue after a pause.
        setTimeout(() => {
          this.queue.push(item);
          this.schedule(0);
        }, RETRY_DELAY_MS).unref();
      }
    }
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

/** A request settled before (its log row or ledger entry exists): nothing to do twice. */
const isDuplicate = (error: unknown) => {
  const { code } = error as { code?: string };
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
};
