// The app's PrismaClient. Both generated clients come from the same models, so their model APIs are
// identical; the SQLite client's type stands for both, and DATABASE_URL picks the real one.
// The query-compiler wasm is loaded lazily by each client, so importing both costs little.
import { appAdapter } from "./adapters";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { databaseProvider, databaseUrl } from "./url";

export type Db = SqliteClient;

export { BudgetPeriod, ChannelStatus, LedgerKind, PaymentStatus, Prisma, Role } from "./generated/sqlite/client";
export type {
  Account,
  ApiKey,
  Channel,
  LedgerEntry,
  ModelPrice,
  Payment,
  RedemptionCode,
  RequestLog,
  Session,
  StoredResponse,
  User,
  VerificationToken,
} from "./generated/sqlite/client";

/** A new client for `url` (tests, CLI); the caller owns it and must `$disconnect()` it. */
export function createDb(url: string): Db {
  const adapter = appAdapter(url);
  if (databaseProvider(url) === "postgresql") {
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  return new SqliteClient({ adapter });
}

// Kept on globalThis so Next's dev-mode module reloads reuse one client instead of leaking pools.
const holder = globalThis as typeof globalThis & { __rootapiDb?: { url: string; db: Db } };

/** The process-wide client for DATABASE_URL (or the default SQLite file). */
export function getDb(): Db {
  const url = databaseUrl();
  const current = holder.__rootapiDb;
  if (current && current.url === url) return current.db;
  // A changed DATABASE_URL (tests switching databases) gets a fresh client; the old one is released.
  if (current) void current.db.$disconnect().catch(() => {});
  const db = createDb(url);
  holder.__rootapiDb = { url, db };
  return db;
}

/** Disconnects the process-wide client, if any (shutdown, end of a test file). */
export async function closeDb(): Promise<void> {
  const current = holder.__rootapiDb;
  holder.__rootapiDb = undefined;
  if (current) await current.db.$disconnect();
}
