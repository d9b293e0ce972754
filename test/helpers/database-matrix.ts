import { postgresAvailable } from "./databases";

const ci = process.env.CI === "true" || process.env.CI === "1";

/**
 * The databases every database-backed test runs on: SQLite always, PostgreSQL when reachable.
 * In CI PostgreSQL is required, so a missing server fails loudly instead of skipping silently.
 */
export async function databaseProviders(): Promise<Array<"sqlite" | "postgresql">> {
  if (await postgresAvailable()) return ["sqlite", "postgresql"];
  if (ci) throw new Error("PostgreSQL is not reachable (TEST_DATABASE_URL); CI must test on it");
  console.warn("PostgreSQL not reachable: database tests run on SQLite only");
  return ["sqlite"];
}
