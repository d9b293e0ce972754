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

/**
 * A model every request to which failed and cost nothing: typically a mistyped or unknown model id
 * (404). Spend tables keep such a row, so they still add up to the totals, but mark it and list it last.
 */
export const failedOnly = (row: { requests: number; errors: number; cost: bigint }) => row.requests > 0 && row.errors === row.requests && row.cost === 0n;

/** By cost, highest first; failed-only models after every other. */
const bySpend = <T extends { requests: number; errors: number; cost: bigint }>(a: T, b: T) =>
  Number(failedOnly(a)) - Number(failedOnly(b)) || (a.cost === b.cost ? 0 : a.cost > b.cost ? -1 : 1);

export async function usageByModel(db: Db, f: UsageFilters) {
  const [rows, failures] = await Promise.all([
    db.requestLog.groupBy({ by: ["model"], where: where(f), _count: { _all: true }, _sum: SUMS }),
    db.requestLog.groupBy({ by: ["model"], where: { ...where(f), status: { gte: 400 } }, _count: { _all: true } }),
  ]);
  const errors = new Map(failures.map((r) => [r.model, r._count._all]));
  return rows
    .map((r) => ({
      model: r.model ?? "(none)",
      requests: r._count._all,
      errors: errors.get(r.model) ?? 0,
      cost: r._sum.cost ?? 0n,
      tokens: (r._sum.promptTokens ?? 0) + (r._sum.completionTokens ?? 0),
    }))
    .sort(bySpend);
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

/**
 * Newest first, ordered by (createdAt, id). Keyset paging: the cursor is the last row's id, and the
 * next page starts at that row's (createdAt, id) as an upper bound of the index range, so a page
 * costs the same at row 10 or 1,000,000 (Prisma's own `cursor` only filters, it does not bound the
 * range: the database walked every newer row first). Each filter has an index that yields rows in
 * createdAt order: (userId, createdAt), (apiKeyId, createdAt), (userId, model, createdAt),
 * (userId, status, createdAt). A cursor that is not one of the user's rows gives an empty page.
 */
export async function requestLogPage(db: Db, f: UsageFilters, cursor?: string | null, limit = LOG_PAGE_SIZE) {
  let after: { id: string; createdAt: Date } | null = null;
  if (cursor) {
    after = await db.requestLog.findFirst({ where: { id: cursor, userId: f.userId }, select: { id: true, createdAt: true } });
    if (!after) return { rows: [], nextCursor: null };
  }
  const base = where(f);
  const rows = await db.requestLog.findMany({
    where: after
      ? {
          ...base,
          // The cursor's time is the range's upper end (inclusive), ties broken by id.
          createdAt: after.createdAt < f.to ? { gte: f.from, lte: after.createdAt } : { gte: f.from, lt: f.to },
          OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }],
        }
      : base,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
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

export interface UsageSummary {
  totals: Awaited<ReturnType<typeof usageTotals>>;
  days: Awaited<ReturnType<typeof usageByDay>>;
  models: Awaited<ReturnType<typeof usageByModel>>;
  keys: Awaited<ReturnType<typeof usageByKey>>;
}

/**
 * Everything the usage page charts — totals, per day, per model, per key — from UsageDay (RequestLog
 * added up per user, UTC day, model, key and outcome by settlement, lib/usage/rollup.ts): one index
 * range of a few thousand rows for 90 days, however many requests they hold. The page's ranges are
 * whole UTC days (parseUsageFilters); a range starting or ending inside a day counts that whole day.
 */
export async function usageSummary(db: Db, f: UsageFilters): Promise<UsageSummary> {
  const starts: number[] = [];
  for (let start = f.from.getTime(); start < f.to.getTime(); start += DAY) starts.push(start);
  const rows = await db.usageDay.findMany({
    where: {
      userId: f.userId,
      day: { gte: new Date(Math.floor(f.from.getTime() / DAY) * DAY), lt: f.to },
      ...(f.model ? { model: f.model } : {}),
      ...(f.apiKeyId ? { apiKeyId: f.apiKeyId } : {}),
      ...(f.status ? { error: f.status === "error" } : {}),
    },
  });
  type Sum = { requests: number; errors: number; cost: bigint; tokens: number };
  const add = (map: Map<string | null, Sum>, key: string | null, requests: number, errors: number, cost: bigint, tokens: number) => {
    const sum = map.get(key) ?? { requests: 0, errors: 0, cost: 0n, tokens: 0 };
    map.set(key, { requests: sum.requests + requests, errors: sum.errors + errors, cost: sum.cost + cost, tokens: sum.tokens + tokens });
  };
  const totals = { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, cost: 0n };
  const byModel = new Map<string | null, Sum>();
  const byKey = new Map<string | null, Sum>();
  const days = starts.map((start) => ({ day: new Date(start).toISOString().slice(0, 10), requests: 0, cost: 0n, tokens: 0 }));
  const dayIndex = new Map(days.map((d, k) => [d.day, k]));
  for (const r of rows) {
    const prompt = Number(r.promptTokens);
    const completion = Number(r.completionTokens);
    totals.requests += r.requests;
    if (r.error) totals.errors += r.requests;
    totals.promptTokens += prompt;
    totals.completionTokens += completion;
    totals.cost += r.cost;
    const day = days[dayIndex.get(r.day.toISOString().slice(0, 10)) ?? 0]!;
    day.requests += r.requests;
    day.cost += r.cost;
    day.tokens += prompt + completion;
    const errors = r.error ? r.requests : 0;
    add(byModel, r.model || null, r.requests, errors, r.cost, prompt + completion);
    add(byKey, r.apiKeyId || null, r.requests, errors, r.cost, prompt + completion);
  }
  const models = [...byModel].map(([model, s]) => ({ model: model ?? "(none)", ...s })).sort(bySpend);
  const keyIds = [...byKey.keys()].filter((id): id is string => !!id);
  const names = new Map((await db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true, prefix: true } })).map((k) => [k.id, k]));
  // A key deleted since keeps its id here (RequestLog's became null): it joins the requests without one.
  const merged = new Map<string | null, Sum>();
  for (const [apiKeyId, s] of byKey) add(merged, apiKeyId && names.has(apiKeyId) ? apiKeyId : null, s.requests, s.errors, s.cost, s.tokens);
  const keys = [...merged]
    .map(([apiKeyId, s]) => ({ apiKeyId, name: (apiKeyId && names.get(apiKeyId)?.name) || "(no key)", prefix: (apiKeyId && names.get(apiKeyId)?.prefix) || "", ...s }))
    .sort(bySpend);
  return { totals, days, models, keys };
}
