/**
 * Applies pending migrations, then exits. server/index.ts runs this in a short-lived child process
 * at start, so Prisma's wasm schema engine (~30 MB that a process never gives back) is never
 * loaded into the long-running server.
 */
import { migrate } from "../lib/db/migrate";
import { databaseProvider, databaseUrl } from "../lib/db/url";

const url = databaseUrl();
migrate(url).then(
  ({ applied }) => {
    if (applied.length) console.log(`Database (${databaseProvider(url)}): applied ${applied.join(", ")}`);
    // Explicitly: the engine may leave timers behind.
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
