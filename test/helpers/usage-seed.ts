// A database with 1,000,000 RequestLog rows for one user (and 50,000 for another), seeded in
// seconds with one bulk INSERT … SELECT per user (SQLite: a recursive CTE; PostgreSQL:
// generate_series), for the usage page's scale test (test/integration/usage-scale.test.ts).
import Database from "better-sqlite3";
import pg from "pg";
import { appAdapter } from "@/lib/db/adapters";
import type { Db } from "@/lib/db/client";
import { PrismaClient as PostgresClient } from "@/lib/db/generated/postgresql/client";
import { PrismaClient as SqliteClient } from "@/lib/db/generated/sqlite/client";
import { migrate } from "@/lib/db/migrate";
import { sqlitePath } from "@/lib/db/url";
import { USAGE_DAY_BACKFILL } from "@/lib/usage/rollup";
import { createTestDatabase, type TestDatabase } from "./databases";

export type Provider = "sqlite" | "postgresql";

export const MAIN_ROWS = 1_000_000;
export const OTHER_ROWS = 50_000;
export const DAY = 86_400_000;
/** Rows come in threes with the same createdAt, so the (createdAt, id) tie-breaker is exercised. */
export const TIE = 3;
export const SPAN_MS = 88 * DAY;
export const MODELS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet", "deepseek-chat"];
export const RARE_MODEL = "rare-model";
/**
 * Row i of the main user (0 = newest). Keys: 4 busy ones round-robin, a rare one for ~1%; models
 * spread independently of keys, one rare (~0.5%); ~2.7% 5xx/429 and ~0.1% 400; tokens and cost are
 * simple functions of i so sums can be checked in SQL.
 */
const ROW_SQL = {
  keyIndex: (i: string) => `CASE WHEN ${i} % 97 = 0 THEN 4 ELSE ${i} % 4 END`,
  model: (i: string) => `CASE WHEN ${i} % 199 = 0 THEN '${RARE_MODEL}' ${MODELS.map((m, k) => `WHEN (${i} / 7) % 4 = ${k} THEN '${m}'`).join(" ")} END`,
  status: (i: string) => `CASE WHEN ${i} % 37 = 0 THEN (CASE ${i} % 3 WHEN 0 THEN 500 WHEN 1 THEN 502 ELSE 429 END) WHEN ${i} % 1009 = 0 THEN 400 ELSE 200 END`,
  prompt: (i: string) => `(10 + ${i} % 100)`,
  completion: (i: string) => `(5 + ${i} % 50)`,
  cost: (i: string) => `((10 + ${i} % 100) * 3 + (5 + ${i} % 50) * 7)`,
};

export interface World {
  provider: Provider;
  database: TestDatabase;
  db: Db;
  userId: string;
  otherUserId: string;
  keyIds: string[];
  idleKeyId: string;
  /** Newest row's time (ms); row i is at newest - floor(i / TIE) * step. */
  newest: number;
  step: number;
  queries: Array<{ sql: string; params: unknown[] }>;
  explain(sql: string, params: unknown[]): Promise<string[]>;
  seedMs: number;
  /** Where the seeding time went: "insert" (both bulk inserts), "index" (building the indexes), "usage days" (UsageDay from them). */
  seedPhases: Record<string, number>;
  close(): Promise<void>;
}

export async function setUpWorld(provider: Provider): Promise<World> {
  const database = await createTestDatabase(provider);
  await migrate(database.url);
  const queries: World["queries"] = [];
  const options = { adapter: appAdapter(database.url), log: [{ emit: "event" as const, level: "query" as const }] };
  const connect = () => (provider === "postgresql" ? new PostgresClient(options) : new SqliteClient(options)) as unknown as Db;
  const db0 = connect();

  const user = await db0.user.create({ data: { email: `scale-${provider}@example.com` } });
  const other = await db0.user.create({ data: { email: `other-${provider}@example.com` } });
  const keyIds: string[] = [];
  for (const name of ["alpha", "beta", "gamma", "delta", "rare"]) {
    keyIds.push((await db0.apiKey.create({ data: { userId: user.id, name, keyHash: `hash-${name}-${provider}`, prefix: `sk-${name}` } })).id);
  }
  const idleKeyId = (await db0.apiKey.create({ data: { userId: user.id, name: "idle", keyHash: `hash-idle-${provider}`, prefix: "sk-idle" } })).id;
  const otherKeyId = (await db0.apiKey.create({ data: { userId: other.id, name: "other", keyHash: `hash-other-${provider}`, prefix: "sk-other" } })).id;

  await db0.$disconnect();
  const newest = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  const step = Math.floor(SPAN_MS / (MAIN_ROWS / TIE));
  const started = performance.now();
  const seedPhases: Record<string, number> = {};
  const phase = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      seedPhases[name] = (seedPhases[name] ?? 0) + performance.now() - start;
    }
  };
  const world = { provider, database, userId: user.id, otherUserId: other.id, keyIds, idleKeyId, newest, step, queries, seedMs: 0, seedPhases };
  if (provider === "sqlite") {
    const file = sqlitePath(database.url);
    const raw = new Database(file);
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = OFF");
    raw.pragma("cache_size = -262144");
    raw.pragma("foreign_keys = OFF");
    // Building the secondary indexes once after the load is several times faster than keeping
    // them up to date row by row; the migrations' own definitions are recreated as they were.
    const indexes = raw.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'RequestLog' AND sql IS NOT NULL`).all() as Array<{ name: string; sql: string }>;
    const insert = (prefix: string, count: number, userId: string, keyExpr: (i: string) => string) => {
      // createdAt in Prisma's SQLite text form, "YYYY-MM-DDTHH:MM:SS.mmm+00:00".
      const t = `(${newest} - (i / ${TIE}) * ${step})`;
      raw.exec(`
        WITH RECURSIVE n(i) AS (SELECT ${count - 1} UNION ALL SELECT i - 1 FROM n WHERE i > 0)
        INSERT INTO "RequestLog" ("id", "userId", "apiKeyId", "model", "endpoint", "stream", "status", "promptTokens", "completionTokens", "cost", "latencyMs", "ttfbMs", "attempts", "errorCode", "createdAt")
        SELECT '${prefix}' || printf('%07d', ${count - 1} - i), '${userId}', ${keyExpr("i")}, ${ROW_SQL.model("i")}, '/v1/chat/completions', i % 2,
               ${ROW_SQL.status("i")}, ${ROW_SQL.prompt("i")}, ${ROW_SQL.completion("i")}, ${ROW_SQL.cost("i")}, 100 + i % 900, 20 + i % 200, 1,
               CASE WHEN ${ROW_SQL.status("i")} >= 400 THEN 'upstream_error' END,
               strftime('%Y-%m-%dT%H:%M:%S', ${t} / 1000, 'unixepoch') || '.' || printf('%03d', ${t} % 1000) || '+00:00'
        FROM n`);
    };
    const keys = (ids: string[]) => (i: string) => `CASE ${ROW_SQL.keyIndex(i)} ${ids.map((id, k) => `WHEN ${k} THEN '${id}'`).join(" ")} END`;
    raw.exec("BEGIN");
    for (const index of indexes) raw.exec(`DROP INDEX "${index.name}"`);
    await phase("insert", () => {
      insert("req_m", MAIN_ROWS, user.id, keys(keyIds));
      insert("req_o", OTHER_ROWS, other.id, () => `'${otherKeyId}'`);
    });
    await phase("index", () => {
      for (const index of indexes) raw.exec(index.sql);
    });
    // The bulk load bypasses settlement, which keeps UsageDay: add it up as the migration does.
    await phase("usage days", () => raw.exec(USAGE_DAY_BACKFILL.sqlite));
    raw.exec("COMMIT");
    // No ANALYZE: the app never runs it, so the planner must pick the right index without statistics.
    raw.close();
    const reader = new Database(file, { readonly: true });
    const db = logged(connect(), queries);
    return {
      ...world,
      db,
      seedMs: performance.now() - started,
      explain: async (sql, params) =>
        (reader.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.map((p) => (typeof p === "boolean" ? Number(p) : p))) as Array<{ detail: string }>).map((r) => r.detail),
      close: async () => {
        reader.close();
        await db.$disconnect();
        await database.drop();
      },
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const insert = async (prefix: string, count: number, userId: string, keyExpr: (i: string) => string) => {
    await client.query(`
      INSERT INTO "RequestLog" ("id", "userId", "apiKeyId", "model", "endpoint", "stream", "status", "promptTokens", "completionTokens", "cost", "latencyMs", "ttfbMs", "attempts", "errorCode", "createdAt")
      SELECT '${prefix}' || lpad((${count - 1} - i)::text, 7, '0'), '${userId}', ${keyExpr("i")}, ${ROW_SQL.model("i")}, '/v1/chat/completions', i % 2 = 1,
             ${ROW_SQL.status("i")}, ${ROW_SQL.prompt("i")}, ${ROW_SQL.completion("i")}, ${ROW_SQL.cost("i")}, 100 + i % 900, 20 + i % 200, 1,
             CASE WHEN ${ROW_SQL.status("i")} >= 400 THEN 'upstream_error' END,
             (to_timestamp(${newest / 1000}) AT TIME ZONE 'UTC') - ((i / ${TIE})::bigint * ${step}) * interval '1 millisecond'
      FROM generate_series(${count - 1}, 0, -1) AS i`);
  };
  const keys = (ids: string[]) => (i: string) => `CASE ${ROW_SQL.keyIndex(i)} ${ids.map((id, k) => `WHEN ${k} THEN '${id}'`).join(" ")} END`;
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '256MB'");
  const indexes = (await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'RequestLog' AND indexname <> 'RequestLog_pkey'`)).rows as Array<{ indexname: string; indexdef: string }>;
  await client.query("BEGIN");
  // Foreign-key triggers off for the load (the seeded ids are valid), secondary indexes built once after it.
  await client.query("SET LOCAL session_replication_role = replica");
  for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
  await phase("insert", async () => {
    await insert("req_m", MAIN_ROWS, user.id, keys(keyIds));
    await insert("req_o", OTHER_ROWS, other.id, () => `'${otherKeyId}'`);
  });
  await phase("index", async () => {
    for (const index of indexes) await client.query(index.indexdef);
  });
  await phase("usage days", () => client.query(USAGE_DAY_BACKFILL.postgresql));
  await client.query("COMMIT");
  // What autovacuum would do soon after such a load: statistics for the planner, a visibility map
  // for index-only scans.
  await phase("vacuum analyze", async () => {
    await client.query(`VACUUM ANALYZE "RequestLog"`);
    await client.query(`VACUUM ANALYZE "UsageDay"`);
  });
  const db = logged(connect(), queries);
  return {
    ...world,
    db,
    seedMs: performance.now() - started,
    explain: async (sql, params) => {
      const result = await client.query(`EXPLAIN ${sql}`, params);
      return result.rows.map((r: Record<string, string>) => r["QUERY PLAN"]!);
    },
    close: async () => {
      await client.end();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/**
 * The client the tests query through, connected after the load the way a server (re)started on
 * this database would be, recording every statement it sends so its plan can be checked.
 */
function logged(db: Db, queries: World["queries"]): Db {
  (db as unknown as { $on(event: "query", cb: (e: { query: string; params: string }) => void): void }).$on("query", (e) => {
    queries.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] });
  });
  return db;
}
