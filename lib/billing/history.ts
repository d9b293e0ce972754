import type { Db } from "../db/client";
import { LedgerKind } from "../db/client";

/**
 * The transaction history a user sees: every money movement as its own row, except usage, which is
 * summed per day and model (with a link to that day's requests). Paged by days, newest first.
 */
export interface HistoryRow {
  id: string;
  type: "entry" | "usage";
  kind: LedgerKind;
  /** ISO time of the entry, or of the day's last usage for a usage row. */
  time: string;
  /** Micro-dollars as decimal strings (signed). */
  amount: string;
  balanceAfter: string | null;
  note: string | null;
  receiptUrl: string | null;
  /** Usage rows: the model, the UTC day and the number of requests. */
  model?: string;
  day?: string;
  requests?: number;
}

export interface HistoryPage {
  rows: HistoryRow[];
  /** Pass as `before` for the next (older) page; null at the beginning of the history. */
  nextBefore: string | null;
}

const DAY = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const startOfDay = (day: string) => new Date(`${day}T00:00:00.000Z`);

export async function ledgerHistory(db: Db, userId: string, options: { before?: string | null; days?: number } = {}): Promise<HistoryPage> {
  const days = options.days ?? 7;
  const end = options.before && /^\d{4}-\d{2}-\d{2}$/.test(options.before) ? startOfDay(options.before) : new Date(startOfDay(dayOf(new Date())).getTime() + DAY);
  const start = new Date(end.getTime() - days * DAY);

  const entries = await db.ledgerEntry.findMany({
    where: { userId, createdAt: { gte: start, lt: end }, kind: { not: LedgerKind.USAGE } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const receipts = await receiptsFor(db, entries.map((e) => e.paymentId).filter((id): id is string => !!id));
  const rows: HistoryRow[] = entries.map((e) => ({
    id: e.id,
    type: "entry",
    kind: e.kind,
    time: e.createdAt.toISOString(),
    amount: e.amount.toString(),
    balanceAfter: e.balanceAfter.toString(),
    note: e.note,
    receiptUrl: (e.paymentId && receipts.get(e.paymentId)) || null,
  }));

  for (let dayStart = start.getTime(); dayStart < end.getTime(); dayStart += DAY) {
    const range = { gte: new Date(dayStart), lt: new Date(dayStart + DAY) };
    const groups = await db.ledgerEntry.groupBy({
      by: ["note"],
      where: { userId, kind: LedgerKind.USAGE, createdAt: range },
      _sum: { amount: true },
      _count: { _all: true },
      _max: { createdAt: true },
    });
    if (!groups.length) continue;
    const day = dayOf(new Date(dayStart));
    // Balance after the last usage of each model that day (usage rows interleave, so this is per group).
    for (const group of groups) {
      const last = await db.ledgerEntry.findFirst({
        where: { userId, kind: LedgerKind.USAGE, note: group.note, createdAt: range },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { balanceAfter: true },
      });
      rows.push({
        id: `usage:${day}:${group.note ?? ""}`,
        type: "usage",
        kind: LedgerKind.USAGE,
        time: (group._max.createdAt ?? new Date(dayStart)).toISOString(),
        amount: (group._sum.amount ?? 0n).toString(),
        balanceAfter: last?.balanceAfter.toString() ?? null,
        note: null,
        receiptUrl: null,
        model: group.note ?? "(unknown model)",
        day,
        requests: group._count._all,
      });
    }
  }
  rows.sort((a, b) => b.time.localeCompare(a.time));

  const older = await db.ledgerEntry.findFirst({ where: { userId, createdAt: { lt: start } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  // Skip empty stretches: the next page ends the day after the latest older entry.
  const nextBefore = older ? dayOf(new Date(startOfDay(dayOf(older.createdAt)).getTime() + DAY)) : null;
  return { rows, nextBefore };
}

async function receiptsFor(db: Db, paymentIds: string[]): Promise<Map<string, string>> {
  if (!paymentIds.length) return new Map();
  const payments = await db.payment.findMany({
    where: { OR: [{ id: { in: paymentIds } }, { checkoutSessionId: { in: paymentIds } }, { paymentIntentId: { in: paymentIds } }] },
    select: { id: true, checkoutSessionId: true, paymentIntentId: true, receiptUrl: true },
  });
  const map = new Map<string, string>();
  for (const p of payments) {
    if (!p.receiptUrl) continue;
    for (const key of [p.id, p.checkoutSessionId, p.paymentIntentId]) if (key) map.set(key, p.receiptUrl);
  }
  return map;
}
