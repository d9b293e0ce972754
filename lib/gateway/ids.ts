import { randomUUID } from "node:crypto";

/**
 * Ids for the hot path: the time in milliseconds (fixed width, base 36), then 96 random bits.
 * Ids made later sort later, so the rows the gateway writes (request logs, ledger entries) land at
 * the end of their primary-key and unique indexes instead of on a random page each: with random
 * ids every insert touched a cold index page once the tables outgrew the page cache, and
 * settlement got several times slower. randomUUID draws from a pre-filled entropy pool, where a
 * randomBytes call per id costs a synchronous syscall.
 */
export function randomId(prefix: string): string {
  return prefix + Date.now().toString(36).padStart(9, "0") + randomUUID().replace(/-/g, "").slice(0, 24);
}
