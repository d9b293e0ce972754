// ROOTAPI_LOG_RETENTION_DAYS: request-log rows older than that are deleted in small batches with a
// pause between them, so the pruner never holds the database (SQLite's single writer above all)
// long enough for /v1 to notice. Only RequestLog: UsageDay rollups are written in the same
// settlement transaction as the rows (lib/usage/rollup.ts), so they already hold every pruned day,
// and the ledger is append-only and never pruned. Several instances pruning at once is harmless.
import type { HotStore } from "../gateway/store";
import { logger } from "./log";

const log = logger("retention");

const DAY_MS = 86_400_000;

export interface PruneOptions {
  /** Rows per DELETE. */
  batchSize: number;
  /** Pause between batches: room for settlement and everything else to write. */
  pauseMs: number;
  /** Checked between batches: shutdown stops the pruner. */
  stopped?: () => boolean;
}

export const DEFAULT_PRUNE: PruneOptions = { batchSize: 1_000, pauseMs: 50 };
/** How often an instance looks for rows that aged out (they age out by the day). */
const PASS_EVERY_MS = 60 * 60_000;
/** The first pass waits for the server's start to settle. */
const FIRST_PASS_AFTER_MS = 5_000;

/** ROOTAPI_LOG_RETENTION_DAYS as a number of days; null (keep forever) when unset. */
export function logRetentionDays(env: Record<string, string | undefined> = process.env): number | null {
  const raw = env.ROOTAPI_LOG_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === "") return null;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) throw new Error(`ROOTAPI_LOG_RETENTION_DAYS must be a number of days > 0, got "${raw}"`);
  return days;
}

/** Deletes every RequestLog row created before `before`, batch by batch; returns how many. */
export async function pruneRequestLogs(store: HotStore, before: Date, options: PruneOptions = DEFAULT_PRUNE): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.deleteRequestLogsBefore(before, options.batchSize);
    total += deleted;
    if (deleted < options.batchSize || options.stopped?.()) return total;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
}

/** Prunes rows older than `days` shortly after start and then hourly; returns the function that stops it. */
export function startLogRetention(store: () => HotStore, days: number | null, options: PruneOptions = DEFAULT_PRUNE): () => void {
  if (days === null) return () => {};
  let stopped = false;
  let running = false;
  const pass = () => {
    if (running || stopped) return;
    running = true;
    const before = new Date(Date.now() - days * DAY_MS);
    pruneRequestLogs(store(), before, { ...options, stopped: () => stopped })
      .then((deleted) => {
        if (deleted) log.info({ event: "retention.pruned", deleted, days }, `Log retention: deleted ${deleted} request log rows older than ${days} days`);
      })
      .catch((error: unknown) => {
        if (!stopped) log.error({ event: "retention.failed", error: error instanceof Error ? error.message : String(error) }, "Log retention failed");
      })
      .finally(() => (running = false));
  };
  const first = setTimeout(pass, FIRST_PASS_AFTER_MS);
  const timer = setInterval(pass, PASS_EVERY_MS);
  first.unref();
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
