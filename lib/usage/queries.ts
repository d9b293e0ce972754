import type { Db, Prisma } from "../db/client";

/**
 * What the usage page shows, read from RequestLog (one row per /v1 request) through the
 * (userId, createdAt) index: totals, per day, per model, per key, and the request log itself.
 */
export interface UsageFilters {
  userId: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  model?: string | null;
  apiKeyId?: string | null;
  status?: "ok" | "error" | null;
}

const DAY = 86_400_000;
export const MAX_RANGE_DAYS = 92;

function where(f: UsageFilters): Prisma.RequestLogWhereInput {
  return {
    userId: f.userId,
    createdAt: { gte: f.from, lt: f.to },
    ...(f.model ? { model: f.model } : {}),
    ...(f.apiKeyId ? { apiKeyId: f.apiKeyId } : {}),
    ...(f.status === "ok" ? { status: { lt: 400 } } : f.status === "error" ? { status: { gte: 400 } } : {}),
  };
}

const SUMS = { cost: true, promptTokens: true, completionTokens: true } as const;

export async function usageTotals(db: Db, f: UsageFilters) {
  const [all, errors] = await Promise.all([
    db.requestLog.aggregate({ where: where(f), _count: { _all: true }, _sum: SUMS }),
    db.requestLog.count({ where: { ...where(f), status: { gte: 400 } } }),
  ]);
  return {
    requests: all._count._all,
    errors,
    promptTokens: all._sum.promptTokens ?? 0,
    completionTokens: all._sum.completionTokens ?? 0,
    cost: all._sum.cost ?? 0n,
  };
}

/** One aggregate per UTC day: portable across SQLite and PostgreSQL, and each uses the index. */
export async function usageByDay(db: Db, f: UsageFilters) {
  const days: Array<{ day: string; requests: number; cost: bigint; tokens: number }> = [];
  for (let start = f.from.getTime(); start < f.to.getTime(); start += DAY) {
    const day = { ...f, from: new Date(start), to: new Date(Math.min(start + DAY, f.to.getTime())) };
    const row = await db.requestLog.aggregate({ where: where(day), _count: { _all: true }, _sum: SUMS });
    days.push({
      day: new Date(start).toISOString().slice(0, 10),
      requests: row._count._all,
      cost: row._sum.cost ?? 0n,
      tokens: (row._sum.promptTokens ?? 0) + (row._sum.completionTokens ?? 0),
    });
  }
  return days;
}

export async function usageByModel(db: Db, f: UsageFilters) {
  const rows = await db.requestLog.groupBy({ by: ["model"], where: where(f), _count: { _all: true }, _sum: SUMS, orderBy: { _sum: { cost: "desc" } } });
  return rows.map((r) => ({ model: r.model ?? "(none)", requests: r._count._all, cost: r._sum.cost ?? 0n, tokens: (r._sum.promptTokens ?? 0) + (r._sum.completionTokens ?? 0) }));
}

export async function usageByKey(db: Db, f: UsageFilters) {
  const rows = await db.requestLog.groupBy({ by: ["apiKeyId"], where: where(f), _count: { _all: true }, _sum: SUMS, orderBy: { _sum: { cost: "desc" } } });
  const keys = await db.apiKey.findMany({ where: { id: { in: rows.map((r) => r.apiKeyId).filter((id): id is string => !!id) } }, select: { id: true, name: true, prefix: true } });
  const byId = new Map(keys.map((k) => [k.id, k]));
  return rows.map((r) => ({
    apiKeyId: r.apiKeyId,
    name: (r.apiKeyId && byId.get(r.apiKeyId)?.name) || "(no key)",
    prefix: (r.apiKeyId && byId.get(r.apiKeyId)?.prefix) || "",
    requests: r._count._all,
    cost: r._sum.cost ?? 0n,
    tokens: (r._sum.promptTokens ?? 0) + (r._sum.completionTokens ?? 0),
  }));
}

export const LOG_PAGE_SIZE = 50;

/** Newest first; the cursor is the last row's id, so a page costs the same at row 10 or 1,000,000. */
export async function requestLogPage(db: Db, f: UsageFilters, cursor?: string | null, limit = LOG_PAGE_SIZE) {
  const rows = await db.requestLog.findMany({
    where: where(f),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: { apiKey: { select: { name: true, prefix: true } } },
  });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextCursor: more ? page.at(-1)!.id : null };
}

/** Filters from a query string, with safe defaults (last 7 days) and the range capped. */
export function parseUsageFilters(userId: string, params: URLSearchParams | Record<string, string | undefined>, now = new Date()): UsageFilters {
  const get = (name: string) => (params instanceof URLSearchParams ? params.get(name) : params[name]) ?? null;
  const day = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null);
  const single = day(get("day"));
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  let to = single ? new Date(single.getTime() + DAY) : day(get("to")) ? new Date(day(get("to"))!.getTime() + DAY) : new Date(today.getTime() + DAY);
  let from = single ?? day(get("from")) ?? new Date(to.getTime() - 7 * DAY);
  if (from >= to) [from, to] = [new Date(to.getTime() - DAY), new Date(from.getTime() + DAY)];
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) from = new Date(to.getTime() - MAX_RANGE_DAYS * DAY);
  const status = get("status");
  return { userId, from, to, model: get("model") || null, apiKeyId: get("key") || null, status: status === "ok" || status === "error" ? status : null };
}
