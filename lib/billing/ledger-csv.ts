import type { Db } from "../db/client";
import { formatUsd } from "../money";

/** Every ledger entry of a user in a time range as CSV, read in batches so any size streams. */
const HEADER = "id,time,kind,amount_usd,balance_after_usd,note,request_id\n";
const BATCH = 1_000;

export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  // A leading =, +, - or @ would be run as a formula by spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function* ledgerCsv(db: Db, userId: string, range: { from?: Date; to?: Date } = {}): AsyncGenerator<string> {
  yield HEADER;
  let cursor: string | undefined;
  for (;;) {
    const entries = await db.ledgerEntry.findMany({
      where: { userId, createdAt: { gte: range.from, lt: range.to } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!entries.length) return;
    yield entries
      .map((e) => [e.id, e.createdAt.toISOString(), e.kind, formatUsd(e.amount), formatUsd(e.balanceAfter), csvField(e.note), e.requestId ?? ""].join(",") + "\n")
      .join("");
    if (entries.length < BATCH) return;
    cursor = entries.at(-1)!.id;
  }
}
