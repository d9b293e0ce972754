// Throwaway databases for tests: every test gets its own, so tests never depend on (or damage)
// an existing database and can run in parallel.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type TestDatabase = { url: string; drop(): Promise<void> };

/** The server test databases are created on (its own database is only used to run CREATE/DROP). */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

/** A new database: a SQLite file, or a PostgreSQL database on `serverUrl` (the test server by default). */
export async function createTestDatabase(provider: "sqlite" | "postgresql", serverUrl = testServerUrl()): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rootapi-test-"));
    return {
      url: `file:${path.join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `rootapi_test_${randomBytes(6).toString("hex")}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a test that forgot to disconnect must not make the drop fail.
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Whether the PostgreSQL test server answers (within about two seconds). */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: testServerUrl(), connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
