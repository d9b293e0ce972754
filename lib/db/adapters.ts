// Driver adapter factories: one for the app's PrismaClient, and migration-aware ones for the
// WebAssembly schema engine (which needs a few workarounds the query path does not).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { databaseProvider, sqlitePath } from "./url";
import { privateSqliteFile } from "./private-files";

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

// WAL lets readers run beside the single writer; NORMAL is durable across app crashes (only an OS
// crash can lose the last commits) and much faster than FULL. journal_mode sticks to the file, the
// others are per connection, so every new connection runs them. Without statistics SQLite's planner
// guesses between indexes (with a model filter it walked the (userId, createdAt) index over a whole
// range instead of using (userId, model, createdAt)): `optimize` runs a sampled ANALYZE (bounded by
// analysis_limit, milliseconds) on tables that were never analyzed or have grown a lot since.
const SQLITE_PRAGMAS = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS};
PRAGMA analysis_limit = 1000;
PRAGMA optimize = 0x10002;
`;

type AdapterFactory = SqlMigrationAwareDriverAdapterFactory;

/** The adapter factory the app's PrismaClient uses for `url`. */
export function appAdapter(url: string): AdapterFactory {
  if (databaseProvider(url) === "postgresql") return new PrismaPg({ connectionString: url });
  const inner = sqliteFactory(url);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      await adapter.executeScript(SQLITE_PRAGMAS);
      return adapter;
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}

/** Adapter factory for the schema engine working on the real database at `url`. */
export function migrationAdapter(url: string): AdapterFactory {
  if (databaseProvider(url) === "postgresql") {
    return {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      connect: () => pgAdapter(url),
      connectToShadowDb: () => scratchPostgres(url),
    };
  }
  const inner = sqliteFactory(url);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => sqliteScriptFallback(await inner.connect()),
    connectToShadowDb: () => scratchSqlite(),
  };
}

/**
 * Adapter factory where both the "main" and the shadow database are throwaway databases, for
 * generating migrations without touching any real data. PostgreSQL scratch databases are created
 * on the server of `serverUrl`.
 */
export function scratchAdapter(provider: "sqlite" | "postgresql", serverUrl: string): AdapterFactory {
  if (provider === "postgresql") {
    return {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      connect: () => scratchPostgres(serverUrl),
      connectToShadowDb: () => scratchPostgres(serverUrl),
    };
  }
  return {
    provider: "sqlite",
    adapterName: "@prisma/adapter-better-sqlite3",
    connect: () => scratchSqlite(),
    connectToShadowDb: () => scratchSqlite(),
  };
}

function sqliteFactory(url: string): PrismaBetterSqlite3 {
  const file = sqlitePath(url);
  privateSqliteFile(file);
  return new PrismaBetterSqlite3({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS });
}

async function scratchSqlite(): Promise<SqlDriverAdapter> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rootapi-shadow-"));
  const factory = new PrismaBetterSqlite3({ url: path.join(dir, "shadow.db") });
  const adapter = sqliteScriptFallback(await factory.connect());
  return withDispose(adapter, async () => rmSync(dir, { recursive: true, force: true }));
}

// The engine sends whole migration scripts through executeRaw; better-sqlite3 prepares one
// statement at a time and refuses those ("contains more than one statement"), so run them as a script.
function sqliteScriptFallback(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return {
    ...delegate(adapter),
    executeRaw: async (query) => {
      try {
        return await adapter.executeRaw(query);
      } catch (error) {
        if (query.args.length > 0 || !/more than one statement/i.test(String(error))) throw error;
        await adapter.executeScript(query.sql);
        return 0;
      }
    },
  };
}

async function pgAdapter(url: string): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("connect", (client) => reportCharAsText(client));
  return new PrismaPg(pool, { disposeExternalPool: true }).connect();
}

// The engine's introspection reads catalog columns of type "char" (OID 18), which the pg adapter
// refuses ("Column type 'char' could not be deserialized"); their text form is what the engine
// expects, so report them as text (OID 25).
function reportCharAsText(client: pg.PoolClient): void {
  const fix = <T>(result: T): T => {
    for (const r of Array.isArray(result) ? result : [result]) {
      for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
        if (field.dataTypeID === 18) field.dataTypeID = 25;
      }
    }
    return result;
  };
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => callback(err, err ? res : fix(res));
      return original(...args);
    }
    const out = original(...args);
    return out instanceof Promise ? out.then(fix) : out;
  };
}

/**
 * A fresh empty database on the server of `serverUrl`, dropped when the adapter is disposed.
 * PrismaPg's own shadow support cannot be used: with a connectionString, the URL's database name
 * wins over the shadow name, so the "shadow" would be the real database.
 */
async function scratchPostgres(serverUrl: string): Promise<SqlDriverAdapter> {
  const name = `rootapi_shadow_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  try {
    const adapter = await pgAdapter(withDatabase(serverUrl, name));
    return withDispose(adapter, () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  } catch (error) {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    throw error;
  }
}

/** Runs one statement on its own short-lived connection (CREATE/DROP DATABASE cannot share a pool). */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function withDispose(adapter: SqlDriverAdapter, after: () => Promise<void>): SqlDriverAdapter {
  return {
    ...delegate(adapter),
    dispose: async () => {
      try {
        await adapter.dispose();
      } finally {
        await after();
      }
    },
  };
}

// Adapters are class instances whose methods live on the prototype, so spreading them copies
// nothing useful; wrappers delegate explicitly instead.
function delegate(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const out: SqlDriverAdapter = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    dispose: () => adapter.dispose(),
  };
  if (adapter.getConnectionInfo) out.getConnectionInfo = () => adapter.getConnectionInfo!();
  return out;
}
