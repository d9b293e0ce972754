import path from "node:path";
import { privateDirectory } from "./private-files";

export type DatabaseProvider = "sqlite" | "postgresql";

/** Where local state lives (SQLite file, secrets, …): ROOTAPI_DATA_DIR or ./data, created on demand, owner-only (0700). */
// The gateway asks for the database URL on every request: create the directory once per setting.
const created = new Set<string>();

export function dataDir(): string {
  // turbopackIgnore: a runtime location, not files for Next to trace into the server build.
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.ROOTAPI_DATA_DIR || path.join(process.cwd(), "data"));
  if (!created.has(dir)) {
    privateDirectory(dir, { tightenExisting: true });
    created.add(dir);
  }
  return dir;
}

let pinned: string | undefined;

/** DATABASE_URL, or a SQLite file in the data dir so a fresh checkout runs with no setup. */
export function databaseUrl(): string {
  return pinned ?? (process.env.DATABASE_URL || `file:${path.join(dataDir(), "rootapi.db")}`);
}

/**
 * Fixes databaseUrl() to its current value for the rest of the process. The server calls it at
 * start: the gateway asks for the URL several times per request, and every process.env read is a
 * getenv() scan of the whole environment (measured at several µs each under load). Tests and the
 * CLI, which may switch DATABASE_URL within one process, do not pin.
 */
export function pinDatabaseUrl(): string {
  pinned = undefined;
  return (pinned = databaseUrl());
}

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? "(none)";
  throw new Error(
    `Unsupported DATABASE_URL scheme ${scheme} — use file:<path> for SQLite or postgresql://… for PostgreSQL`,
  );
}

/** Filesystem path of a `file:` URL (relative paths are taken from the working directory). */
export function sqlitePath(url: string): string {
  const raw = url.slice("file:".length).split("?")[0] ?? "";
  if (raw === ":memory:" || raw === "") return ":memory:";
  return path.resolve(/*turbopackIgnore: true*/ raw.startsWith("//") ? raw.slice(2) : raw);
}
