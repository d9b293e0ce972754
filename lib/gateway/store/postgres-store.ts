import { randomId } from "../ids";
import pg from "pg";
import { USAGE_DAY_COLUMNS, USAGE_DAY_ON_CONFLICT, usageDayIncrements } from "../../usage/rollup";
import { balancesAfter, type HotStore, type SettleBatch, type UserAfterSettle } from "./types";

/** Prisma's PostgreSQL DateTime columns are TIMESTAMP(3) without time zone, holding UTC. */
export const pgTime = (date: Date) => date.toISOString().slice(0, 23);
const newId = () => randomId("c");

const LOG_COLUMNS = [
  "id", "userId", "apiKeyId", "channelId", "model", "upstreamModel", "endpoint", "stream", "status", "promptTokens", "completionTokens",
  "cachedTokens", "reasoningTokens", "cost", "estimated", "latencyMs", "ttfbMs", "attempts", "errorCode", "errorMessage", "createdAt",
] as const;

/** Placeholders "($1,$2,…),($n,…)" for a multi-row insert. */
function values(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(",")})`).join(",");
}

export class PostgresHotStore implements HotStore {
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 8, idleTimeoutMillis: 30_000 });
    // A dropped idle connection must not crash the server; the next query reports it.
    this.pool.on("error", (error) => console.error("PostgreSQL pool error:", error.message));
  }

  async holdUser(userId: string, amount: bigint) {
    const result = await this.pool.query(`UPDATE "User" SET "held" = "held" + $1 WHERE "id" = $2 AND "balance" - "held" >= $1`, [amount.toString(), userId]);
    return result.rowCount === 1;
  }

  async holdKey(keyId: string, amount: bigint) {
    const result = await this.pool.query(`UPDATE "ApiKey" SET "held" = "held" + $1 WHERE "id" = $2 AND "budget" - "spent" - "held" >= $1`, [amount.toString(), keyId]);
    return result.rowCount === 1;
  }

  async release(userId: string, userAmount: bigint, keyId: string, keyAmount: bigint) {
    if (userAmount > 0n) await this.pool.query(`UPDATE "User" SET "held" = "held" - $1 WHERE "id" = $2`, [userAmount.toString(), userId]);
    if (keyAmount > 0n) await this.pool.query(`UPDATE "ApiKey" SET "held" = "held" - $1 WHERE "id" = $2`, [keyAmount.toString(), keyId]);
  }

  async settle(batch: SettleBatch) {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const after = new Map<string, UserAfterSettle>();
      // A fixed lock order keeps concurrent batches (other instances) from deadlocking.
      for (const user of [...batch.users].sort((a, b) => (a.userId < b.userId ? -1 : 1))) {
        const { rows } = await client.query<{ balance: string; autoRechargeEnabled: boolean; autoRechargeThreshold: string | null }>(
          `UPDATE "User" SET "balance" = "balance" - $1, "held" = "held" - $2, "updatedAt" = NOW() AT TIME ZONE 'UTC' WHERE "id" = $3 RETURNING "balance", "autoRechargeEnabled", "autoRechargeThreshold"`,
          [user.cost.toString(), user.hold.toString(), user.userId],
        );
        if (!rows[0]) throw new Error(`settlement for unknown user ${user.userId}`);
        after.set(user.userId, {
          balance: BigInt(rows[0].balance),
          autoRechargeEnabled: rows[0].autoRechargeEnabled,
          autoRechargeThreshold: rows[0].autoRechargeThreshold === null ? null : BigInt(rows[0].autoRechargeThreshold),
        });
      }
      for (const key of [...batch.keys].sort((a, b) => (a.keyId < b.keyId ? -1 : 1))) {
        await client.query(`UPDATE "ApiKey" SET "spent" = "spent" + $1, "held" = "held" - $2, "lastUsedAt" = $3 WHERE "id" = $4`, [key.cost.toString(), key.hold.toString(), pgTime(key.lastUsed), key.keyId]);
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
          r.cachedTokens, r.reasoningTokens, r.cost.toString(), r.estimated, r.latencyMs, r.ttfbMs, r.attempts, r.errorCode, r.errorMessage, pgTime(r.createdAt),
        ]);
        await client.query(`INSERT INTO "RequestLog" (${LOG_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values(batch.logs.length, LOG_COLUMNS.length)}`, params);
      }
      const days = usageDayIncrements(batch.logs);
      if (days.length) {
        const params = days.flatMap((d) => [d.userId, pgTime(d.day), d.model, d.apiKeyId, d.error, d.requests, d.promptTokens, d.completionTokens, d.cost.toString()]);
        await client.query(`INSERT INTO "UsageDay" (${USAGE_DAY_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values(days.length, USAGE_DAY_COLUMNS.length)} ${USAGE_DAY_ON_CONFLICT}`, params);
      }
      await client.query("COMMIT");
      return after;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  close() {
    return this.pool.end();
  }
}
