// Applies the committed migrations of prisma/<provider>/migrations with Prisma's own (wasm) schema
// engine, so _prisma_migrations is exactly what `prisma migrate deploy` writes and expects.
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { migrationAdapter } from "./adapters";
import { withEngine } from "./engine";
import { listMigrations, migrationsDir, NO_FILTERS } from "./migrations-folder";
import { databaseProvider, databaseUrl, sqlitePath } from "./url";
import { privateSqliteFile } from "./private-files";

export type MigrateResult = { applied: string[] };

// Not Prisma's own advisory lock id (72707369): the engine may take that one on its own
// connection while we hold ours, and taking the same id twice from two sessions would deadlock.
const PG_LOCK_ID = "7270736901";
const LOCK_WAIT_MS = 5 * 60_000;
const LOCK_POLL_MS = 100;

/**
 * Applies pending migrations to the database at `url` and returns their names (empty when up to
 * date). Throws if an applied migration's file was edited or a previous run failed half-way.
 * Concurrent callers, in this process or others, wait for each other.
 */
export async function migrate(url: string = databaseUrl()): Promise<MigrateResult> {
  const provider = databaseProvider(url);
  const dir = migrationsDir(provider);
  const withLock = provider === "postgresql" ? withPgLock : withSqliteLock;
  return serializeInProcess(url, () => withLock(url, () => applyPending(url, dir)));
}

async function applyPending(url: string, dir: string): Promise<MigrateResult> {
  const migrationsList = listMigrations(dir);
  if (migrationsList.migrationDirectories.length === 0) {
    const shown = path.relative(process.cwd(), dir) || dir;
    throw new Error(`No migrations found in ${shown} (run from the repository root)`);
  }
  return withEngine(migrationAdapter(url), async (engine) => {
    // `migrate deploy` itself does not compare checksums; an edited migration means this database
    // and a fresh one would end up different, so refuse instead of drifting silently.
    const diagnosis = await engine
      .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS })
      .catch((error: unknown) => {
        // P1014: no _prisma_migrations table yet (a fresh database), so nothing to check.
        if ((error as { code?: string }).code !== "P1014") throw error;
        return { editedMigrationNames: [] };
      });
    const edited = diagnosis.editedMigrationNames;
    if (edited.length > 0) {
      throw new Error(
        `Applied migrations were edited after being applied: ${edited.join(", ")}. ` +
          "Restore their migration.sql files and add a new migration instead.",
      );
    }
    // A migration that failed half-way earlier is refused by applyMigrations itself (P3009, with its logs).
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return { applied: appliedMigrationNames };
  });
}

// Callers within one process queue here first, so at most one of them holds (or polls for) the
// cross-process lock and opens engine connections at a time.
const inProcess = new Map<string, Promise<unknown>>();

function serializeInProcess<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = inProcess.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(fn);
  inProcess.set(key, next);
  void next.finally(() => {
    if (inProcess.get(key) === next) inProcess.delete(key);
  }).catch(() => {});
  return next;
}

/** Session-level advisory lock on a dedicated connection; released on unlock or disconnect. */
async function withPgLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // An idle-connection error must not crash the process; the query below reports it instead.
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(`SET statement_timeout = ${LOCK_WAIT_MS}`);
    await client.query("SELECT pg_advisory_lock($1::bigint)", [PG_LOCK_ID]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [PG_LOCK_ID]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * An exclusive transaction on a lock database beside the real one. A separate file, because an
 * exclusive lock on the real database would also shut out the engine's own connection. The OS
 * drops the lock if the holder dies, so a crash never leaves a stale lock behind.
 */
async function withSqliteLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const file = sqlitePath(url);
  if (file === ":memory:") return fn();
  privateSqliteFile(`${file}.migrate-lock`);
  // timeout 0: a busy wait inside better-sqlite3 would block the event loop; poll instead.
  const lock = new Database(`${file}.migrate-lock`, { timeout: 0 });
  try {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        lock.exec("BEGIN EXCLUSIVE");
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
    }
    try {
      return await fn();
    } finally {
      lock.exec("ROLLBACK");
    }
  } finally {
    lock.close();
  }
}
