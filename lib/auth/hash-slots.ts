import os from "node:os";

/**
 * At most this many password hashes run at once. scrypt leaves the event loop free, but libuv has four
 * threads and each hash keeps one busy for ~300 ms: on a two-core machine four at once would take
 * both cores from the thread serving /v1. One core is always left to it; extra hashes wait their turn.
 * PASSWORD_HASH_CONCURRENCY overrides the default (cores - 1, at least 1).
 */
export function slotCount(): number {
  const configured = Number(process.env.PASSWORD_HASH_CONCURRENCY);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
}

let free = -1;
const queue: Array<() => void> = [];

export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (free === -1) free = slotCount();
  if (free > 0) free--;
  else await new Promise<void>((resolve) => queue.push(resolve));
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter, or give it back.
    const next = queue.shift();
    if (next) next();
    else free++;
  }
}
