import { databaseProvider, databaseUrl, sqlitePath } from "../../db/url";
import { PostgresHotStore } from "./postgres-store";
import { SqliteHotStore } from "./sqlite-store";
import type { HotStore } from "./types";
import { countingDatabaseErrors } from "../../observability/database-errors";

export type { ChannelRecord, HotStore } from "./types";

// One per process and DATABASE_URL, on globalThis like the Prisma client (see lib/db/client.ts).
const holder = globalThis as typeof globalThis & { __rootapiHotStore?: { url: string; store: HotStore } };

export function getHotStore(): HotStore {
  const url = databaseUrl();
  if (holder.__rootapiHotStore?.url === url) return holder.__rootapiHotStore.store;
  const store = countingDatabaseErrors(databaseProvider(url) === "postgresql" ? new PostgresHotStore(url) : new SqliteHotStore(sqlitePath(url), { backgroundCheckpoints: true }));
  holder.__rootapiHotStore = { url, store };
  return store;
}

export async function closeHotStore(): Promise<void> {
  const current = holder.__rootapiHotStore;
  holder.__rootapiHotStore = undefined;
  await current?.store.close();
}
