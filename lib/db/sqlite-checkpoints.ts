import { createRequire } from "node:module";
import path from "node:path";
import { InlineWorker } from "../workers/inline-worker";

/**
 * SQLite copies its write-ahead log back into the database file (a checkpoint, with an fsync) in
 * whichever connection commits past `wal_autocheckpoint` pages. On the gateway that is the
 * settlement's commit, on the event loop, with answers waiting for it: milliseconds every few
 * hundred requests, which is the one-connection p99. So the gateway's connection turns that off
 * (`onFailure` turns it back on) and a worker thread checkpoints on a connection of its own; a
 * passive checkpoint never blocks a writer, so no answer waits for the disk.
 */
const EVERY_MS = 250;

/** What `PRAGMA wal_checkpoint` reports: busy (1 if it could not finish), frames in the log, frames copied back. */
type CheckpointResult = { busy: number; log: number; checkpointed: number };

export interface BackgroundCheckpoints {
  /** Checkpoints now (tests); resolves with what it did. */
  checkpoint(): Promise<CheckpointResult>;
  stop(): void;
}

export function checkpointInBackground(file: string, onFailure: (error: Error) => void, everyMs = EVERY_MS): BackgroundCheckpoints {
  let worker: InlineWorker<string, CheckpointResult> | null = null;
  // Made on first use, inside the promise: a driver that cannot be found is a failure like any other.
  const call = () =>
    (worker ??= new InlineWorker<string, CheckpointResult>(
      `(() => {
        let db = null;
        return (file, data) => {
          db = db || new (require(data.driver))(file, { timeout: 1000 });
          return db.pragma("wal_checkpoint(PASSIVE)")[0];
        };
      })()`,
      { workerData: { driver: createRequire(path.join(process.cwd(), "package.json")).resolve("better-sqlite3") } },
    )).call(file);
  let running: Promise<CheckpointResult> | null = null;
  let stopped = false;
  const checkpoint = () => (running ??= Promise.resolve().then(call).finally(() => (running = null)));
  const timer = setInterval(
    () =>
      void checkpoint().catch((error: Error) => {
        if (stopped) return;
        // Back to SQLite's own checkpoints rather than a log that grows without end.
        clearInterval(timer);
        onFailure(error);
      }),
    everyMs,
  );
  timer.unref();
  return {
    checkpoint,
    stop() {
      stopped = true;
      clearInterval(timer);
      void worker?.close();
    },
  };
}
