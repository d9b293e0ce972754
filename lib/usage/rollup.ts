// UsageDay: RequestLog added up per (user, UTC day, model, key, error), kept by settlement in the
// transaction that writes the log rows, so the usage page's charts never read RequestLog itself.
import type { LogRow } from "../gateway/store/types";

const DAY = 86_400_000;

export interface UsageDayRow {
  userId: string;
  /** UTC midnight. */
  day: Date;
  /** "" for none. */
  model: string;
  /** "" for none. */
  apiKeyId: string;
  error: boolean;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cost: bigint;
}

/**
 * A settlement batch's log rows as UsageDay increments: one per key (rows without a user are not
 * counted), sorted by key, so concurrent batches (other instances, PostgreSQL) lock rows in one order.
 */
export function usageDayIncrements(logs: readonly LogRow[]): UsageDayRow[] {
  const sums = new Map<string, UsageDayRow>();
  for (const r of logs) {
    if (!r.userId) continue;
    const day = new Date(Math.floor(r.createdAt.getTime() / DAY) * DAY);
    const row = { userId: r.userId, day, model: r.model ?? "", apiKeyId: r.apiKeyId ?? "", error: r.status >= 400 };
    const key = `${row.userId}\u0000${day.getTime()}\u0000${row.model}\u0000${row.apiKeyId}\u0000${row.error ? 1 : 0}`;
    const sum = sums.get(key);
    if (sum) {
      sum.requests += 1;
      sum.promptTokens += r.promptTokens;
      sum.completionTokens += r.completionTokens;
      sum.cost += r.cost;
    } else {
      sums.set(key, { ...row, requests: 1, promptTokens: r.promptTokens, completionTokens: r.completionTokens, cost: r.cost });
    }
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

export const USAGE_DAY_COLUMNS = ["userId", "day", "model", "apiKeyId", "error", "requests", "promptTokens", "completionTokens", "cost"] as const;

/** Adds the inserted row to an existing one (same SQL on SQLite and PostgreSQL). */
export const USAGE_DAY_ON_CONFLICT = `ON CONFLICT ("userId", "day", "model", "apiKeyId", "error") DO UPDATE SET ${["requests", "promptTokens", "completionTokens", "cost"]
  .map((c) => `"${c}" = "UsageDay"."${c}" + excluded."${c}"`)
  .join(", ")}`;

/**
 * Fills UsageDay from RequestLog (the usage_day migration runs the same statement; the scale test's
 * seed too, after its bulk load that bypasses settlement).
 */
export const USAGE_DAY_BACKFILL = {
  sqlite: `INSERT INTO "UsageDay" ("userId", "day", "model", "apiKeyId", "error", "requests", "promptTokens", "completionTokens", "cost")
SELECT "userId", substr("createdAt", 1, 10) || 'T00:00:00.000+00:00', coalesce("model", ''), coalesce("apiKeyId", ''), "status" >= 400,
       COUNT(*), SUM("promptTokens"), SUM("completionTokens"), SUM("cost")
FROM "RequestLog" WHERE "userId" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;`,
  postgresql: `INSERT INTO "UsageDay" ("userId", "day", "model", "apiKeyId", "error", "requests", "promptTokens", "completionTokens", "cost")
SELECT "userId", date_trunc('day', "createdAt"), coalesce("model", ''), coalesce("apiKeyId", ''), "status" >= 400,
       COUNT(*), SUM("promptTokens"), SUM("completionTokens"), SUM("cost")
FROM "RequestLog" WHERE "userId" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;`,
} as const;
