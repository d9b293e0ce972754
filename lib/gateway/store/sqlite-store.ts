import { randomId } from "../ids";
import Database from "better-sqlite3";
import { privateSqliteFile } from "../../db/private-files";
import { checkpointInBackground, type BackgroundCheckpoints } from "../../db/sqlite-checkpoints";
import { logger } from "../../observability/log";
import { USAGE_DAY_COLUMNS, USAGE_DAY_ON_CONFLICT, usageDayIncrements } from "../../usage/rollup";
import {
  balancesAfter,
  channelHealthAssignments,
  type ChannelHealthUpdate,
  type ChannelRecord,
  type HotStore,
  type KeyRecord,
  type LeaseRef,
  type LeaseSubject,
  type PriceRecord,
  type RoutableStatus,
  type SettleBatch,
  type StoredTurn,
  type StoredTurnRow,
  type UserAfterSettle,
} from "./types";

/** Prisma's SQLite DateTime text format, so rows written here read back like any other. */
export const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");
/** A DateTime column as Prisma stores it (ISO text; unix milliseconds in files from other tools). */
const readTime = (value: string | number | bigint | null) => (value === null ? null : new Date(typeof value === "bigint" ? Number(value) : value));
const readJson = (value: string | null): unknown => (value === null ? null : JSON.parse(value));
const readInt = (value: bigint | null) => (value === null ? null : Number(value));

const CHANNEL_COLUMNS = `"id", "name", "type", "baseUrl", "apiKeyEnc", "models", "modelMapping", "config", "priority", "weight", "timeoutMs", "supportsResponses", "createdAt"`;
type SqliteChannel = Omit<ChannelRecord, "models" | "modelMapping" | "config" | "priority" | "weight" | "timeoutMs" | "supportsResponses" | "createdAt"> & {
  models: string;
  modelMapping: string | null;
  config: string | null;
  priority: bigint;
  weight: bigint;
  timeoutMs: bigint | null;
  supportsResponses: bigint;
  createdAt: string;
};
const newId = () => randomId("c");
const log = logger("db");

const BUSY_RETRY_MS = 1;
const BUSY_GIVE_UP_MS = 10_000;

/**
 * A second connection to the SQLite file, with prepared statements. Its busy timeout is zero and it
 * retries asynchronously: a synchronous busy-wait would block the event loop, and with it the
 * Prisma transaction (same process) that holds the lock it waits for.
 */
export class SqliteHotStore implements HotStore {
  private readonly db: Database.Database;
  private readonly statements;

  private readonly checkpoints: BackgroundCheckpoints | null = null;

  /** `backgroundCheckpoints`: the server's store, whose commits answers wait for (see lib/db/sqlite-checkpoints.ts). */
  constructor(file: string, options: { backgroundCheckpoints?: boolean; checkpointEveryMs?: number } = {}) {
    privateSqliteFile(file);
    this.db = new Database(file, { timeout: 0 });
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    if (options.backgroundCheckpoints) {
      this.db.pragma("wal_autocheckpoint = 0");
      this.checkpoints = checkpointInBackground(file, (error) => {
        this.db.pragma("wal_autocheckpoint = 1000");
        log.error({ event: "sqlite.checkpoints_failed", err: error }, "Checkpointing SQLite's log in the background failed; the gateway's commits checkpoint it again");
      }, options.checkpointEveryMs);
    }
    const prepare = (sql: string) => this.db.prepare(sql);
    // Reads return every integer as a bigint (money columns need it); readInt turns the rest back.
    const read = (sql: string) => this.db.prepare(sql).safeIntegers(true);
    this.statements = {
      findKey: read(
        `SELECT k."id", k."userId", k."allowedModels", k."rpmLimit", k."tpmLimit", k."budget", k."budgetPeriod", k."expiresAt", k."revokedAt", u."disabled" AS "userDisabled"
         FROM "ApiKey" k JOIN "User" u ON u."id" = k."userId" WHERE k."keyHash" = ?`,
      ),
      channels: read(`SELECT ${CHANNEL_COLUMNS} FROM "Channel" WHERE "status" = ? ORDER BY "createdAt", "id"`),
      prices: read(`SELECT "model", "inputPrice", "outputPrice", "cachedInputPrice", "cacheWritePrice", "cacheWrite1hPrice" FROM "ModelPrice"`),
      funds: read(`SELECT "balance", "held" FROM "User" WHERE "id" = ?`),
      keySpent: read(`SELECT "spent" FROM "ApiKey" WHERE "id" = ?`),
      usageCost: read(
        `SELECT COALESCE(SUM("amount"), 0) AS "total" FROM "LedgerEntry" WHERE "userId" = :userId AND "kind" = 'USAGE'
         AND (:from IS NULL OR "createdAt" >= :from) AND (:to IS NULL OR "createdAt" < :to)`,
      ),
      findStoredTurn: prepare(`SELECT "id", "previousResponseId", "input", "output", "response" FROM "StoredResponse" WHERE "id" = ? AND "userId" = ?`),
      saveStoredTurn: prepare(
        `INSERT INTO "StoredResponse" ("id", "userId", "apiKeyId", "model", "previousResponseId", "instructions", "input", "output", "response", "status", "createdAt")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteStoredTurn: prepare(`DELETE FROM "StoredResponse" WHERE "id" = ? AND "userId" = ?`),
      startBudgetPeriod: prepare(`UPDATE "ApiKey" SET "spent" = 0, "periodStart" = ? WHERE "id" = ? AND ("periodStart" IS NULL OR "periodStart" < ?)`),
      hold: {
        user: prepare(`UPDATE "User" SET "held" = "held" + :amount WHERE "id" = :id AND "balance" - "held" >= :amount + :keepFree`),
        key: prepare(`UPDATE "ApiKey" SET "held" = "held" + :amount WHERE "id" = :id AND "budget" - "spent" - "held" >= :amount + :keepFree`),
      },
      unhold: {
        user: prepare(`UPDATE "User" SET "held" = "held" - ? WHERE "id" = ?`),
        key: prepare(`UPDATE "ApiKey" SET "held" = "held" - ? WHERE "id" = ?`),
      },
      addToLease: prepare(
        `INSERT INTO "FundsLease" ("id", "instanceId", "subject", "subjectId", "amount", "expiresAt") VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT ("id") DO UPDATE SET "amount" = "amount" + excluded."amount", "expiresAt" = excluded."expiresAt"`,
      ),
      leaseAmount: read(`SELECT "amount" FROM "FundsLease" WHERE "id" = ?`).pluck(),
      takeFromLease: prepare(`UPDATE "FundsLease" SET "amount" = "amount" - ? WHERE "id" = ?`),
      dropEmptyLease: prepare(`DELETE FROM "FundsLease" WHERE "id" = ? AND "amount" <= 0`),
      renewLeases: prepare(`UPDATE "FundsLease" SET "expiresAt" = ? WHERE "instanceId" = ? RETURNING "id"`),
      expiredLeases: read(`SELECT "id", "subject", "subjectId", "amount" FROM "FundsLease" WHERE "expiresAt" < ?`),
      instanceLeases: read(`SELECT "id", "subject", "subjectId", "amount" FROM "FundsLease" WHERE "instanceId" = ?`),
      deleteLease: prepare(`DELETE FROM "FundsLease" WHERE "id" = ?`),
      settleUser: prepare(
        `UPDATE "User" SET "balance" = "balance" - ?, "updatedAt" = ? WHERE "id" = ? RETURNING "balance", "autoRechargeEnabled", "autoRechargeThreshold"`,
      ).safeIntegers(true),
      settleKey: prepare(`UPDATE "ApiKey" SET "spent" = "spent" + ?, "lastUsedAt" = ? WHERE "id" = ?`),
      ledger: prepare(
        `INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amount", "balanceAfter", "idempotencyKey", "note", "requestId", "createdAt") VALUES (?, ?, 'USAGE', ?, ?, ?, ?, ?, ?)`,
      ),
      log: prepare(
        `INSERT INTO "RequestLog" ("id", "userId", "apiKeyId", "channelId", "model", "upstreamModel", "endpoint", "stream", "status", "promptTokens", "completionTokens", "cachedTokens", "cacheWriteTokens", "cacheWrite1hTokens", "reasoningTokens", "cost", "estimated", "latencyMs", "ttfbMs", "attempts", "errorCode", "errorMessage", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      ping: prepare(`SELECT 1`).pluck(),
      // By id through the createdAt index: one short write transaction per batch.
      deleteLogsBefore: prepare(`DELETE FROM "RequestLog" WHERE "id" IN (SELECT "id" FROM "RequestLog" WHERE "createdAt" < ? LIMIT ?)`),
      usageDay: prepare(`INSERT INTO "UsageDay" (${USAGE_DAY_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${USAGE_DAY_ON_CONFLICT}`),
    };
    const s = this.statements;
    // Takes `amount` out of a lease and the held column it backs, never more than the lease still
    // holds (LeaseStore.shrinkLease says why); a lease that is gone backs nothing.
    const takeFromLease = (lease: LeaseRef, amount: bigint) => {
      const holds = s.leaseAmount.get(lease.id) as bigint | undefined;
      if (amount <= 0n || holds === undefined || holds <= 0n) return;
      const taken = holds < amount ? holds : amount;
      s.takeFromLease.run(taken, lease.id);
      s.unhold[lease.subject].run(taken, lease.subjectId);
      s.dropEmptyLease.run(lease.id);
    };
    this.growTransaction = this.db.transaction((lease: LeaseRef, amount: bigint, expiresAt: Date, keepFree: bigint) => {
      if (s.hold[lease.subject].run({ amount, keepFree, id: lease.subjectId }).changes !== 1) return false;
      s.addToLease.run(lease.id, lease.instanceId, lease.subject, lease.subjectId, amount, sqliteTime(expiresAt));
      return true;
    });
    this.shrinkTransaction = this.db.transaction((lease: LeaseRef, amount: bigint) => {
      takeFromLease(lease, amount);
      s.dropEmptyLease.run(lease.id);
    });
    this.releaseTransaction = this.db.transaction((filter: { expiredBefore: Date } | { instanceId: string }) => {
      const rows = ("instanceId" in filter ? s.instanceLeases.all(filter.instanceId) : s.expiredLeases.all(sqliteTime(filter.expiredBefore))) as Array<{
        id: string;
        subject: LeaseSubject;
        subjectId: string;
        amount: bigint;
      }>;
      for (const row of rows) {
        if (row.amount > 0n) s.unhold[row.subject].run(row.amount, row.subjectId);
        s.deleteLease.run(row.id);
      }
      return rows.length;
    });
    this.settleTransaction = this.db.transaction((batch: SettleBatch) => {
      const now = sqliteTime(new Date());
      const after = new Map<string, UserAfterSettle>();
      for (const spend of batch.leases) takeFromLease(spend, spend.amount);
      for (const user of [...batch.users].sort((a, b) => a.userId.localeCompare(b.userId))) {
        const row = s.settleUser.get(user.cost, now, user.userId) as { balance: bigint; autoRechargeEnabled: bigint; autoRechargeThreshold: bigint | null } | undefined;
        if (!row) throw new Error(`settlement for unknown user ${user.userId}`);
        after.set(user.userId, { balance: row.balance, autoRechargeEnabled: row.autoRechargeEnabled === 1n, autoRechargeThreshold: row.autoRechargeThreshold });
      }
      for (const key of batch.keys) s.settleKey.run(key.cost, sqliteTime(key.lastUsed), key.keyId);
      const balances = balancesAfter(batch.usage, new Map([...after].map(([id, u]) => [id, u.balance])));
      batch.usage.forEach((entry, i) => s.ledger.run(newId(), entry.userId, -entry.cost, balances[i]!, `usage:${entry.requestId}`, entry.model, entry.requestId, sqliteTime(entry.createdAt)));
      for (const r of batch.logs) {
        s.log.run(r.id, r.userId, r.apiKeyId, r.channelId, r.model, r.upstreamModel, r.endpoint, r.stream ? 1 : 0, r.status, r.promptTokens, r.completionTokens, r.cachedTokens, r.cacheWriteTokens, r.cacheWrite1hTokens, r.reasoningTokens, r.cost, r.estimated ? 1 : 0, r.latencyMs, r.ttfbMs, r.attempts, r.errorCode, r.errorMessage, sqliteTime(r.createdAt));
      }
      for (const d of usageDayIncrements(batch.logs)) {
        s.usageDay.run(d.userId, sqliteTime(d.day), d.model, d.apiKeyId, d.error ? 1 : 0, d.requests, d.promptTokens, d.completionTokens, d.cost);
      }
      return after;
    });
  }

  private readonly settleTransaction: Database.Transaction<(batch: SettleBatch) => Map<string, UserAfterSettle>>;
  private readonly growTransaction: Database.Transaction<(lease: LeaseRef, amount: bigint, expiresAt: Date, keepFree: bigint) => boolean>;
  private readonly shrinkTransaction: Database.Transaction<(lease: LeaseRef, amount: bigint) => void>;
  private readonly releaseTransaction: Database.Transaction<(filter: { expiredBefore: Date } | { instanceId: string }) => number>;

  /** Runs a synchronous statement, retrying without blocking while another connection writes. */
  private retrying<T>(run: () => T): Promise<T> {
    // The usual case, without the async machinery: the database is not busy.
    try {
      return Promise.resolve(run());
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") return Promise.reject(error);
    }
    return this.retryingWhileBusy(run);
  }

  private async retryingWhileBusy<T>(run: () => T): Promise<T> {
    const deadline = Date.now() + BUSY_GIVE_UP_MS;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      try {
        return run();
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      }
    }
  }

  async findKey(keyHash: string): Promise<KeyRecord | null> {
    const row = this.statements.findKey.get(keyHash) as
      | (Omit<KeyRecord, "allowedModels" | "rpmLimit" | "tpmLimit" | "expiresAt" | "revokedAt" | "userDisabled"> & {
          allowedModels: string | null;
          rpmLimit: bigint | null;
          tpmLimit: bigint | null;
          expiresAt: string | null;
          revokedAt: string | null;
          userDisabled: bigint;
        })
      | undefined;
    if (!row) return null;
    return {
      ...row,
      allowedModels: readJson(row.allowedModels),
      rpmLimit: readInt(row.rpmLimit),
      tpmLimit: readInt(row.tpmLimit),
      expiresAt: readTime(row.expiresAt),
      revokedAt: readTime(row.revokedAt),
      userDisabled: row.userDisabled === 1n,
    };
  }

  async channels(status: RoutableStatus): Promise<ChannelRecord[]> {
    return (this.statements.channels.all(status) as SqliteChannel[]).map((row) => ({
      ...row,
      models: readJson(row.models),
      modelMapping: readJson(row.modelMapping),
      config: readJson(row.config),
      priority: Number(row.priority),
      weight: Number(row.weight),
      timeoutMs: readInt(row.timeoutMs),
      supportsResponses: row.supportsResponses === 1n,
      createdAt: readTime(row.createdAt)!,
    }));
  }

  async prices(): Promise<PriceRecord[]> {
    return this.statements.prices.all() as PriceRecord[];
  }

  async funds(userId: string) {
    return (this.statements.funds.get(userId) as { balance: bigint; held: bigint } | undefined) ?? null;
  }

  async keySpent(keyId: string) {
    return (this.statements.keySpent.get(keyId) as { spent: bigint } | undefined)?.spent ?? 0n;
  }

  async usageCost(userId: string, from?: Date, to?: Date) {
    // Stored as ISO text, which sorts like time.
    const { total } = this.statements.usageCost.get({ userId, from: from ? sqliteTime(from) : null, to: to ? sqliteTime(to) : null }) as { total: bigint };
    return -total;
  }

  async startBudgetPeriod(keyId: string, periodStart: Date) {
    const at = sqliteTime(periodStart);
    await this.retrying(() => this.statements.startBudgetPeriod.run(at, keyId, at));
  }

  async findStoredTurn(userId: string, id: string): Promise<StoredTurnRow | null> {
    const row = this.statements.findStoredTurn.get(id, userId) as { id: string; previousResponseId: string | null; input: string; output: string; response: string } | undefined;
    return row ? { ...row, input: readJson(row.input), output: readJson(row.output), response: readJson(row.response) } : null;
  }

  async saveStoredTurn(t: StoredTurn) {
    const json = JSON.stringify;
    await this.retrying(() =>
      this.statements.saveStoredTurn.run(t.id, t.userId, t.apiKeyId, t.model, t.previousResponseId, t.instructions, json(t.input), json(t.output), json(t.response), t.status, sqliteTime(new Date())),
    );
  }

  async deleteStoredTurn(userId: string, id: string) {
    return (await this.retrying(() => this.statements.deleteStoredTurn.run(id, userId))).changes > 0;
  }

  async updateChannelHealth(channelId: string, update: ChannelHealthUpdate) {
    const assignments = channelHealthAssignments(update);
    const sql = `UPDATE "Channel" SET ${assignments.map(([column]) => `"${column}" = ?, `).join("")}"updatedAt" = ? WHERE "id" = ?`;
    const values = assignments.map(([, value]) => (value instanceof Date ? sqliteTime(value) : value));
    await this.retrying(() => this.db.prepare(sql).run(...values, sqliteTime(new Date()), channelId));
  }

  growLease(lease: LeaseRef, amount: bigint, expiresAt: Date, keepFree = 0n) {
    return this.retrying(() => this.growTransaction.immediate(lease, amount, expiresAt, keepFree));
  }

  shrinkLease(lease: LeaseRef, amount: bigint) {
    return this.retrying(() => this.shrinkTransaction.immediate(lease, amount));
  }

  async renewLeases(instanceId: string, expiresAt: Date) {
    const rows = await this.retrying(() => this.statements.renewLeases.all(sqliteTime(expiresAt), instanceId) as Array<{ id: string }>);
    return new Set(rows.map((row) => row.id));
  }

  releaseLeases(filter: { expiredBefore: Date } | { instanceId: string }) {
    return this.retrying(() => this.releaseTransaction.immediate(filter));
  }

  settle(batch: SettleBatch) {
    // IMMEDIATE: take the write lock up front, so a busy database fails (and is retried) before any work.
    return this.retrying(() => this.settleTransaction.immediate(batch));
  }

  async ping() {
    this.statements.ping.get();
  }

  async appliedMigrations() {
    // Prepared per call: the table may not exist yet (ROOTAPI_SKIP_MIGRATIONS on a fresh file), and
    // readiness stops asking once every migration is in.
    return this.db.prepare(`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`).pluck().all() as string[];
  }

  async deleteRequestLogsBefore(before: Date, limit: number) {
    const at = sqliteTime(before);
    return (await this.retrying(() => this.statements.deleteLogsBefore.run(at, limit))).changes;
  }

  /** Checkpoints the write-ahead log now, off this thread (tests); null when this store leaves it to SQLite. */
  checkpoint() {
    return this.checkpoints?.checkpoint() ?? null;
  }

  async close() {
    this.checkpoints?.stop();
    this.db.close();
  }
}
