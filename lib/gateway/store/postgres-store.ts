import { randomId } from "../ids";
import pg from "pg";
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
import { logger } from "../../observability/log";

/** Prisma's PostgreSQL DateTime columns are TIMESTAMP(3) without time zone, holding UTC. */
export const pgTime = (date: Date) => date.toISOString().slice(0, 23);
/**
 * Reads such a column as a Date: node-postgres would take a zone-less timestamp for local time,
 * so it is turned into a timestamptz first.
 */
const utc = (column: string, as = column.replace(/^\w+\./, "")) => `(${column} AT TIME ZONE 'UTC') AS "${as.replaceAll('"', "")}"`;
// BIGINT columns arrive as strings (node-postgres does not guess at precision).
const bigOrNull = (value: string | null) => (value === null ? null : BigInt(value));
const newId = () => randomId("c");

const LOG_COLUMNS = [
  "id", "userId", "apiKeyId", "channelId", "model", "upstreamModel", "endpoint", "stream", "status", "promptTokens", "completionTokens",
  "cachedTokens", "cacheWriteTokens", "cacheWrite1hTokens", "reasoningTokens", "cost", "estimated", "latencyMs", "ttfbMs", "attempts", "errorCode",
  "errorMessage", "createdAt",
] as const;

const HELD_TABLE: Record<LeaseSubject, string> = { user: '"User"', key: '"ApiKey"' };
const FREE_FUNDS: Record<LeaseSubject, string> = { user: '"balance" - "held"', key: '"budget" - "spent" - "held"' };

/**
 * Locks the users' and then the keys' rows, each in id order, before a transaction touches leases
 * or inserts rows that refer to them: a lease grows by locking its subject and then its row, so
 * everything that takes from leases locks in that order too, and concurrent transactions (several
 * instances) cannot deadlock. A foreign-key check takes a KEY SHARE lock on the row it refers to,
 * which waits for a FOR UPDATE: a row a transaction will refer to must be locked here too, or that
 * check takes it later, out of order. Ids are ordered byte-wise everywhere — JavaScript's sort here,
 * COLLATE "C" in SQL — so the order cannot depend on the database's collation.
 */
async function lockSubjects(client: pg.PoolClient, userIds: Array<string | null>, keyIds: Array<string | null>) {
  const sorted = (ids: Array<string | null>) => [...new Set(ids.filter((id): id is string => id !== null))].sort();
  const users = sorted(userIds);
  const keys = sorted(keyIds);
  if (users.length) await client.query(`SELECT 1 FROM "User" WHERE "id" = ANY($1) ORDER BY "id" COLLATE "C" FOR UPDATE`, [users]);
  if (keys.length) await client.query(`SELECT 1 FROM "ApiKey" WHERE "id" = ANY($1) ORDER BY "id" COLLATE "C" FOR UPDATE`, [keys]);
}

/** Placeholders "($1,$2,…),($n,…)" for a multi-row insert. */
function values(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(",")})`).join(",");
}

const CONNECT_TIMEOUT_MS = 5_000;

export class PostgresHotStore implements HotStore {
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    // A database that does not answer fails requests after a few seconds (a 503) instead of holding them.
    this.pool = new pg.Pool({ connectionString, max: 8, idleTimeoutMillis: 30_000, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // A dropped idle connection must not crash the server; the next query reports it.
    this.pool.on("error", (error) => logger("db").error({ event: "postgres.pool_error", error: error.message }, "PostgreSQL pool error"));
  }

  async findKey(keyHash: string): Promise<KeyRecord | null> {
    const { rows } = await this.pool.query(
      `SELECT k."id", k."userId", k."allowedModels", k."rpmLimit", k."tpmLimit", k."budget", k."budgetPeriod", ${utc('k."expiresAt"')}, ${utc('k."revokedAt"')}, u."disabled" AS "userDisabled"
       FROM "ApiKey" k JOIN "User" u ON u."id" = k."userId" WHERE k."keyHash" = $1`,
      [keyHash],
    );
    const row = rows[0];
    return row ? { ...row, budget: bigOrNull(row.budget) } : null;
  }

  async channels(status: RoutableStatus): Promise<ChannelRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT "id", "name", "type", "baseUrl", "apiKeyEnc", "models", "modelMapping", "config", "priority", "weight", "timeoutMs", "supportsResponses", ${utc('"createdAt"')}
       FROM "Channel" WHERE "status" = $1 ORDER BY "createdAt", "id"`,
      [status],
    );
    return rows;
  }

  async prices(): Promise<PriceRecord[]> {
    const { rows } = await this.pool.query(`SELECT "model", "inputPrice", "outputPrice", "cachedInputPrice", "cacheWritePrice", "cacheWrite1hPrice" FROM "ModelPrice"`);
    return rows.map((row) => ({
      model: row.model,
      inputPrice: BigInt(row.inputPrice),
      outputPrice: BigInt(row.outputPrice),
      cachedInputPrice: bigOrNull(row.cachedInputPrice),
      cacheWritePrice: bigOrNull(row.cacheWritePrice),
      cacheWrite1hPrice: bigOrNull(row.cacheWrite1hPrice),
    }));
  }

  async funds(userId: string) {
    const { rows } = await this.pool.query(`SELECT "balance", "held" FROM "User" WHERE "id" = $1`, [userId]);
    return rows[0] ? { balance: BigInt(rows[0].balance), held: BigInt(rows[0].held) } : null;
  }

  async keySpent(keyId: string) {
    const { rows } = await this.pool.query(`SELECT "spent" FROM "ApiKey" WHERE "id" = $1`, [keyId]);
    return rows[0] ? BigInt(rows[0].spent) : 0n;
  }

  async usageCost(userId: string, from?: Date, to?: Date) {
    const { rows } = await this.pool.query(
      `SELECT COALESCE(SUM("amount"), 0) AS "total" FROM "LedgerEntry" WHERE "userId" = $1 AND "kind" = 'USAGE'
       AND ($2::timestamp IS NULL OR "createdAt" >= $2::timestamp) AND ($3::timestamp IS NULL OR "createdAt" < $3::timestamp)`,
      [userId, from ? pgTime(from) : null, to ? pgTime(to) : null],
    );
    return -BigInt(rows[0].total);
  }

  async startBudgetPeriod(keyId: string, periodStart: Date) {
    await this.pool.query(`UPDATE "ApiKey" SET "spent" = 0, "periodStart" = $1 WHERE "id" = $2 AND ("periodStart" IS NULL OR "periodStart" < $1)`, [
      pgTime(periodStart),
      keyId,
    ]);
  }

  async findStoredTurn(userId: string, id: string): Promise<StoredTurnRow | null> {
    const { rows } = await this.pool.query(`SELECT "id", "previousResponseId", "input", "output", "response" FROM "StoredResponse" WHERE "id" = $1 AND "userId" = $2`, [id, userId]);
    return rows[0] ?? null;
  }

  async saveStoredTurn(t: StoredTurn) {
    // JSON columns get text: node-postgres would send a JavaScript array as a PostgreSQL array.
    const json = JSON.stringify;
    await this.pool.query(
      `INSERT INTO "StoredResponse" ("id", "userId", "apiKeyId", "model", "previousResponseId", "instructions", "input", "output", "response", "status", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [t.id, t.userId, t.apiKeyId, t.model, t.previousResponseId, t.instructions, json(t.input), json(t.output), json(t.response), t.status, pgTime(new Date())],
    );
  }

  async deleteStoredTurn(userId: string, id: string) {
    const { rowCount } = await this.pool.query(`DELETE FROM "StoredResponse" WHERE "id" = $1 AND "userId" = $2`, [id, userId]);
    return (rowCount ?? 0) > 0;
  }

  async updateChannelHealth(channelId: string, update: ChannelHealthUpdate) {
    const assignments = channelHealthAssignments(update);
    const set = assignments.map(([column], i) => `"${column}" = $${i + 1}${column === "status" ? `::"ChannelStatus"` : ""}, `).join("");
    const values = assignments.map(([, value]) => (value instanceof Date ? pgTime(value) : value));
    const n = values.length;
    await this.pool.query(`UPDATE "Channel" SET ${set}"updatedAt" = $${n + 1} WHERE "id" = $${n + 2}`, [...values, pgTime(new Date()), channelId]);
  }

  async growLease(lease: LeaseRef, amount: bigint, expiresAt: Date, keepFree = 0n) {
    // One statement: the lease only grows if the held column did.
    const result = await this.pool.query(
      `WITH held AS (UPDATE ${HELD_TABLE[lease.subject]} SET "held" = "held" + $1 WHERE "id" = $2 AND ${FREE_FUNDS[lease.subject]} >= $1::bigint + $7 RETURNING 1)
       INSERT INTO "FundsLease" ("id", "instanceId", "subject", "subjectId", "amount", "expiresAt") SELECT $3, $4, $5, $2, $1, $6 FROM held
       ON CONFLICT ("id") DO UPDATE SET "amount" = "FundsLease"."amount" + EXCLUDED."amount", "expiresAt" = EXCLUDED."expiresAt"`,
      [amount.toString(), lease.subjectId, lease.id, lease.instanceId, lease.subject, pgTime(expiresAt), keepFree.toString()],
    );
    return result.rowCount === 1;
  }

  shrinkLease(lease: LeaseRef, amount: bigint) {
    return this.transaction(async (client) => {
      await lockSubjects(client, [lease.subject === "user" ? lease.subjectId : null], [lease.subject === "key" ? lease.subjectId : null]);
      await this.takeFromLease(client, lease, amount);
      await client.query(`DELETE FROM "FundsLease" WHERE "id" = $1 AND "amount" <= 0`, [lease.id]);
    });
  }

  /**
   * Takes `amount` out of a lease and the held column it backs, never more than the lease still
   * holds (LeaseStore.shrinkLease says why); a lease that is gone backs nothing. Its subject must be
   * locked: nothing else changes the lease between the read of its amount and the update.
   */
  private async takeFromLease(db: pg.PoolClient, lease: LeaseRef, amount: bigint) {
    if (amount <= 0n) return;
    await db.query(
      `WITH taken AS (
         UPDATE "FundsLease" SET "amount" = "FundsLease"."amount" - LEAST(old."amount", $1::bigint)
         FROM (SELECT "amount" FROM "FundsLease" WHERE "id" = $2) old
         WHERE "FundsLease"."id" = $2 AND old."amount" > 0
         RETURNING LEAST(old."amount", $1::bigint) AS "amount")
       UPDATE ${HELD_TABLE[lease.subject]} SET "held" = "held" - (SELECT "amount" FROM taken) WHERE "id" = $3 AND EXISTS (SELECT 1 FROM taken)`,
      [amount.toString(), lease.id, lease.subjectId],
    );
  }

  async renewLeases(instanceId: string, expiresAt: Date) {
    // Locked in id order, like every other transaction that takes several lease rows.
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE "FundsLease" SET "expiresAt" = $1 WHERE "id" IN (SELECT "id" FROM "FundsLease" WHERE "instanceId" = $2 ORDER BY "id" COLLATE "C" FOR UPDATE) RETURNING "id"`,
      [pgTime(expiresAt), instanceId],
    );
    return new Set(rows.map((row) => row.id));
  }

  releaseLeases(filter: { expiredBefore: Date } | { instanceId: string }) {
    const [where, value] = "instanceId" in filter ? [`"instanceId" = $1`, filter.instanceId] : [`"expiresAt" < $1`, pgTime(filter.expiredBefore)];
    return this.transaction(async (client) => {
      // Subjects first, as settling does (a lease row first and then its subject deadlocked with it);
      // only the leases of the subjects locked go, the rest (made meanwhile) wait for the next sweep.
      const { rows: found } = await client.query<{ subject: LeaseSubject; subjectId: string }>(`SELECT DISTINCT "subject", "subjectId" FROM "FundsLease" WHERE ${where}`, [value]);
      if (!found.length) return 0;
      const ids = (subject: LeaseSubject) => found.filter((l) => l.subject === subject).map((l) => l.subjectId);
      await lockSubjects(client, ids("user"), ids("key"));
      // Deleting the rows and giving their amounts back is one statement: a lease is given back once.
      const { rows } = await client.query<{ released: string }>(
        `WITH gone AS (
           DELETE FROM "FundsLease" WHERE "id" IN (SELECT "id" FROM "FundsLease" WHERE ${where} AND "subjectId" = ANY($2) ORDER BY "id" COLLATE "C" FOR UPDATE)
           RETURNING "subject", "subjectId", "amount"),
         users AS (UPDATE "User" u SET "held" = u."held" - g."amount" FROM (SELECT "subjectId", SUM("amount") AS "amount" FROM gone WHERE "subject" = 'user' GROUP BY 1) g WHERE u."id" = g."subjectId"),
         keys AS (UPDATE "ApiKey" k SET "held" = k."held" - g."amount" FROM (SELECT "subjectId", SUM("amount") AS "amount" FROM gone WHERE "subject" = 'key' GROUP BY 1) g WHERE k."id" = g."subjectId")
         SELECT COUNT(*) AS "released" FROM gone`,
        [value, found.map((l) => l.subjectId)],
      );
      return Number(rows[0]!.released);
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection cut while checked out (the server restarting) is reported by the query in flight;
    // without a listener the client's 'error' event would crash the process.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.off("error", onError);
      // A broken connection is discarded, not returned to the pool.
      client.release(broken);
    }
  }

  settle(batch: SettleBatch) {
    return this.transaction(async (client) => {
      // Every user and key a log row names, not only those charged: a free request's row refers to
      // its user too (three instances settling a restart's backlog deadlocked on exactly that).
      await lockSubjects(
        client,
        [...batch.logs.map((r) => r.userId), ...batch.leases.map((l) => (l.subject === "user" ? l.subjectId : null))],
        [...batch.logs.map((r) => r.apiKeyId), ...batch.leases.map((l) => (l.subject === "key" ? l.subjectId : null))],
      );
      const after = new Map<string, UserAfterSettle>();
      // Lease rows in id order too: renewals lock them in that order.
      for (const spend of [...batch.leases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) await this.takeFromLease(client, spend, spend.amount);
      if (batch.leases.length) await client.query(`DELETE FROM "FundsLease" WHERE "id" = ANY($1) AND "amount" <= 0`, [batch.leases.map((l) => l.id)]);
      for (const user of batch.users) {
        const { rows } = await client.query<{ balance: string; autoRechargeEnabled: boolean; autoRechargeThreshold: string | null }>(
          `UPDATE "User" SET "balance" = "balance" - $1, "updatedAt" = NOW() AT TIME ZONE 'UTC' WHERE "id" = $2 RETURNING "balance", "autoRechargeEnabled", "autoRechargeThreshold"`,
          [user.cost.toString(), user.userId],
        );
        if (!rows[0]) throw new Error(`settlement for unknown user ${user.userId}`);
        after.set(user.userId, {
          balance: BigInt(rows[0].balance),
          autoRechargeEnabled: rows[0].autoRechargeEnabled,
          autoRechargeThreshold: rows[0].autoRechargeThreshold === null ? null : BigInt(rows[0].autoRechargeThreshold),
        });
      }
      for (const key of batch.keys) {
        await client.query(`UPDATE "ApiKey" SET "spent" = "spent" + $1, "lastUsedAt" = $2 WHERE "id" = $3`, [key.cost.toString(), pgTime(key.lastUsed), key.keyId]);
      }
      if (batch.usage.length) {
        const balances = balancesAfter(batch.usage, new Map([...after].map(([id, u]) => [id, u.balance])));
        const params = batch.usage.flatMap((e, i) => [newId(), e.userId, (-e.cost).toString(), balances[i]!.toString(), `usage:${e.requestId}`, e.model, e.requestId, pgTime(e.createdAt)]);
        const rows = batch.usage
          .map((_, r) => {
            const p = (column: number) => `$${r * 8 + column}`;
            return `(${p(1)}, ${p(2)}, 'USAGE', ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)})`;
          })
          .join(", ");
        await client.query(`INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amount", "balanceAfter", "idempotencyKey", "note", "requestId", "createdAt") VALUES ${rows}`, params);
      }
      if (batch.logs.length) {
        const params = batch.logs.flatMap((r) => [
          r.id, r.userId, r.apiKeyId, r.channelId, r.model, r.upstreamModel, r.endpoint, r.stream, r.status, r.promptTokens, r.completionTokens,
          r.cachedTokens, r.cacheWriteTokens, r.cacheWrite1hTokens, r.reasoningTokens, r.cost.toString(), r.estimated, r.latencyMs, r.ttfbMs, r.attempts, r.errorCode,
          r.errorMessage, pgTime(r.createdAt),
        ]);
        await client.query(`INSERT INTO "RequestLog" (${LOG_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values(batch.logs.length, LOG_COLUMNS.length)}`, params);
      }
      const days = usageDayIncrements(batch.logs);
      if (days.length) {
        const params = days.flatMap((d) => [d.userId, pgTime(d.day), d.model, d.apiKeyId, d.error, d.requests, d.promptTokens, d.completionTokens, d.cost.toString()]);
        await client.query(`INSERT INTO "UsageDay" (${USAGE_DAY_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values(days.length, USAGE_DAY_COLUMNS.length)} ${USAGE_DAY_ON_CONFLICT}`, params);
      }
      return after;
    });
  }

  async ping() {
    await this.pool.query("SELECT 1");
  }

  async appliedMigrations() {
    const { rows } = await this.pool.query<{ migration_name: string }>(
      `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );
    return rows.map((row) => row.migration_name);
  }

  async deleteRequestLogsBefore(before: Date, limit: number) {
    // SKIP LOCKED: pruners running on several instances at once take different rows instead of
    // waiting for each other.
    const { rowCount } = await this.pool.query(
      `DELETE FROM "RequestLog" WHERE "id" IN (SELECT "id" FROM "RequestLog" WHERE "createdAt" < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [pgTime(before), limit],
    );
    return rowCount ?? 0;
  }

  close() {
    return this.pool.end();
  }
}
