import fs from "node:fs";
import path from "node:path";
import type { LeaseSpend, LogRow } from "../store/types";
import { logger } from "../../observability/log";

const log = logger("settlement");

/**
 * Settlements an instance could not write before it stopped (the database was unreachable for the
 * whole shutdown), kept in its data dir until a later start writes them. Without this the choice was
 * between never exiting (and being SIGKILLed by the orchestrator, losing them anyway) and dropping
 * requests that had reached an upstream. A journaled settlement may also have committed (its write
 * hung, then landed): writing it again fails as a duplicate and is skipped, so nothing is charged twice.
 */
export interface JournaledSettlement {
  record: LogRow;
  spends: LeaseSpend[];
}

const PREFIX = "unsettled-";
const SUFFIX = ".jsonl";

/** One settlement per line; money as decimal strings (BigInt has no JSON form), times as ISO. */
export function encodeJournal(items: readonly JournaledSettlement[]): string {
  return items
    .map(({ record, spends }) =>
      JSON.stringify({
        record: { ...record, cost: record.cost.toString(), createdAt: record.createdAt.toISOString() },
        spends: spends.map((spend) => ({ ...spend, amount: spend.amount.toString() })),
      }),
    )
    .join("\n")
    .concat(items.length ? "\n" : "");
}

export function decodeJournal(text: string): JournaledSettlement[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const { record, spends } = JSON.parse(line) as { record: LogRow & { cost: string; createdAt: string }; spends: Array<LeaseSpend & { amount: string }> };
      return {
        record: { ...record, cost: BigInt(record.cost), createdAt: new Date(record.createdAt) },
        spends: spends.map((spend) => ({ ...spend, amount: BigInt(spend.amount) })),
      };
    });
}

/** Writes a new journal file and returns its path. */
export function writeJournal(dir: string, items: readonly JournaledSettlement[], now = new Date()): string {
  const file = path.join(dir, `${PREFIX}${now.toISOString().replace(/[:.]/g, "-")}-${process.pid}${SUFFIX}`);
  replaceJournal(file, items);
  return file;
}

/**
 * Written to a temporary name, flushed to disk and renamed: a start never reads half a file, and at
 * shutdown the process exits right after.
 */
function replaceJournal(file: string, items: readonly JournaledSettlement[]): void {
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, "w", 0o600);
  try {
    fs.writeSync(fd, encodeJournal(items));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
}

/** Every journal in the data dir, oldest first. */
export function journalFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((name) => name.startsWith(PREFIX) && name.endsWith(SUFFIX))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readJournal(file: string): JournaledSettlement[] {
  return decodeJournal(fs.readFileSync(file, "utf8"));
}

/** What is left of a journal after a replay: nothing (the file goes) or what could not be written yet. */
export function keepInJournal(file: string, left: readonly JournaledSettlement[]): void {
  if (left.length) replaceJournal(file, left);
  else fs.rmSync(file, { force: true });
}

/**
 * Shutdown: keeps what the database did not take. Should even the journal fail (a read-only or full
 * disk), the settlements go to the error log, the one place left an operator can recover them from.
 */
export function journalUnsettled(dir: string, items: readonly JournaledSettlement[]): void {
  const cost = items.reduce((sum, { record }) => sum + record.cost, 0n);
  try {
    const file = writeJournal(dir, items);
    log.error(
      { event: "settlement.journaled", requests: items.length, cost: cost.toString(), file },
      `The database did not take ${items.length} settlement(s) before shutdown; journaled for the next start`,
    );
  } catch (error) {
    log.fatal(
      { event: "settlement.unjournaled", requests: items.length, cost: cost.toString(), err: error, journal: encodeJournal(items) },
      "Settlements could be neither written nor journaled: recover them from this line",
    );
  }
}

/**
 * Start: writes the settlements earlier runs journaled, before this one serves anything. A journal
 * goes once all of it is in the database; while the database is down it stays for the next start.
 */
export async function replayJournals(dir: string, settle: (items: readonly JournaledSettlement[]) => Promise<JournaledSettlement[]>): Promise<void> {
  for (const file of journalFiles(dir)) {
    const items = readJournal(file);
    try {
      const refused = await settle(items);
      keepInJournal(file, refused);
      log.info({ event: "settlement.journal_replayed", file, requests: items.length, refused: refused.length }, `Settled ${items.length - refused.length} journaled request(s)`);
    } catch (error) {
      log.error({ event: "settlement.journal_kept", file, requests: items.length, err: error }, "Journaled settlements could not be written; kept for the next start");
      return;
    }
  }
}
