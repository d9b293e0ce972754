import { randomUUID } from "node:crypto";

/**
 * Random ids for the hot path. randomUUID draws from a pre-filled entropy pool, where a
 * randomBytes call per id costs a synchronous syscall; 122 random bits is plenty for ids.
 */
export function randomId(prefix: string): string {
  return prefix + randomUUID().replace(/-/g, "");
}
