/**
 * Prepares the database, then exits: applies pending migrations (unless ROOTAPI_SKIP_MIGRATIONS=1)
 * and seeds the built-in sandbox channel on a fresh install. server/index.ts runs this in a
 * short-lived child process at start, so neither Prisma's wasm schema engine (~30 MB) nor its query
 * compiler (~100 MB) is ever loaded into a server that only answers /v1: memory a process never
 * gives back.
 */
import { closeDb, getDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { databaseProvider, databaseUrl } from "../lib/db/url";
import { seedSandbox } from "../lib/gateway/seed";
import { logger } from "../lib/observability/log";

const log = logger("db");

async function prepare() {
  const url = databaseUrl();
  if (process.env.ROOTAPI_SKIP_MIGRATIONS !== "1") {
    const { applied } = await migrate(url);
    if (applied.length) log.info({ event: "db.migrated", migrations: applied }, `Database (${databaseProvider(url)}): applied ${applied.join(", ")}`);
  }
  if (await seedSandbox(getDb())) log.info({ event: "db.seeded" }, "Seeded the built-in sandbox channel (models sandbox-chat and sandbox-embedding, free)");
  await closeDb();
}

prepare().then(
  // Explicitly: the engine may leave timers behind.
  () => process.exit(0),
  (error: unknown) => {
    log.fatal({ event: "db.prepare_failed", err: error }, "Preparing the database failed");
    process.exit(1);
  },
);
