import type { Db } from "../db/client";
import { LedgerKind } from "../db/client";
import type { Hold } from "./holds";

/**
 * The end of every /v1 request: its RequestLog row and, when it cost something, the USAGE ledger
 * entry that moves the money and releases its hold. Written behind the response in small batches
 * (one transaction per batch), so the hot path never waits for the database, and flushed on
 * shutdown so a request that reached an upstream is never left unlogged or unbilled.
 */
export interface RequestRecord {
  id: string;
  userId: string | null;
  apiKeyId: string | null;
  channelId: string | null;
  model: string | null;
  upstreamModel: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  cost: bigint;
  estimated: boolean;
  latencyMs: number;
  ttfbMs: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
}

interface Settlement {
  record: RequestRecord;
  hold: Hold | null;
}

const BATCH_SIZE = 256;
const FLUSH_DELAY_MS = 20;
const RETRY_DELAY_MS = 1_000;

export class SettlementQueue {
  private queue: Settlement[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly db: () => Db) {}

  /** Queues a finished request. Cost is charged to the user (and key) and the hold released. */
  settle(record: RequestRecord, hold: Hold | null): void {
    this.queue.push({ record, hold });
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
        console.error(`Settling ${batch.length} request(s) failed; retrying one by one:`, error);
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
        console.error(`Settling request ${item.record.id} failed; will retry:`, error);
        // Keep it: money and logs must not be dropped. It goes back to the queue after a pause.
        setTimeout(() => {
          this.queue.push(item);
          this.schedule(0);
        }, RETRY_DELAY_MS).unref();
      }
    }
  }

  private async write(batch: Settlement[]): Promise<void> {
    const db = this.db();
    const perUser = new Map<string, { cost: bigint; hold: bigint }>();
    const perKey = new Map<string, { cost: bigint; hold: bigint; lastUsed: Date }>();
    for (const { record, hold } of batch) {
      if (record.userId && (record.cost > 0n || (hold?.userAmount ?? 0n) > 0n)) {
        const user = perUser.get(record.userId) ?? { cost: 0n, hold: 0n };
        user.cost += record.cost;
        user.hold += hold?.userAmount ?? 0n;
        perUser.set(record.userId, user);
      }
      if (record.apiKeyId && record.userId) {
        const key = perKey.get(record.apiKeyId) ?? { cost: 0n, hold: 0n, lastUsed: record.createdAt };
        key.cost += record.cost;
        key.hold += hold?.keyAmount ?? 0n;
        if (record.createdAt > key.lastUsed) key.lastUsed = record.createdAt;
        perKey.set(record.apiKeyId, key);
      }
    }

    // Users whose balance fell below their auto-recharge threshold (read from the same UPDATE: no extra query).
    const belowThreshold: string[] = [];
    await db.$transaction(async (tx) => {
      // One UPDATE per user; each entry's balanceAfter is then derived backwards from the final balance.
      const finalBalance = new Map<string, bigint>();
      for (const [userId, { cost, hold }] of perUser) {
        const user = await tx.user.update({
          where: { id: userId },
          data: { balance: { decrement: cost }, held: { decrement: hold } },
          select: { balance: true, autoRechargeEnabled: true, autoRechargeThreshold: true },
        });
        finalBalance.set(userId, user.balance);
        if (cost > 0n && user.autoRechargeEnabled && user.autoRechargeThreshold !== null && user.balance < user.autoRechargeThreshold) {
          belowThreshold.push(userId);
        }
      }
      for (const [keyId, { cost, hold, lastUsed }] of perKey) {
        await tx.apiKey.update({
          where: { id: keyId },
          data: { spent: { increment: cost }, held: { decrement: hold }, lastUsedAt: lastUsed },
          select: { id: true },
        });
      }
      const entries = [];
      const running = new Map(finalBalance);
      for (let i = batch.length - 1; i >= 0; i--) {
        const { record } = batch[i]!;
        if (!record.userId || record.cost === 0n) continue;
        const after = running.get(record.userId)!;
        running.set(record.userId, after + record.cost);
        entries.push({
          userId: record.userId,
          kind: LedgerKind.USAGE,
          amount: -record.cost,
          balanceAfter: after,
          idempotencyKey: `usage:${record.id}`,
          requestId: record.id,
          note: record.model,
          createdAt: record.createdAt,
        });
      }
      if (entries.length) await tx.ledgerEntry.createMany({ data: entries.reverse() });
      await tx.requestLog.createMany({ data: batch.map((s) => s.record) });
    });
    if (belowThreshold.length) requestAutoRecharge(db, belowThreshold);
  }
}

/** Fire-and-forget, after the batch committed; the Stripe code is only loaded once someone needs it. */
function requestAutoRecharge(db: Db, userIds: string[]): void {
  import("../billing/stripe/auto-recharge")
    .then(({ triggerAutoRecharge }) => triggerAutoRecharge(db, userIds))
    .catch((error: unknown) => console.error("Starting auto-recharge failed:", error));
}

const isDuplicate = (error: unknown) => (error as { code?: string }).code === "P2002";
