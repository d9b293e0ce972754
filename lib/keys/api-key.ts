import { createHash, randomBytes } from "node:crypto";

/** The shape of every key we issue: "sk-" + 43 base62 characters (≈256 bits of randomness). */
const KEY_BODY_LENGTH = 43;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function generateApiKey(): string {
  return `sk-${randomBase62(KEY_BODY_LENGTH)}`;
}

/** Keys have 256 bits of entropy, so a fast hash is enough (no need for a slow password hash). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What lists show: "sk-Ab3d…x9Yz". */
export function apiKeyPrefix(key: string): string {
  return `${key.slice(0, 7)}…${key.slice(-4)}`;
}

export function looksLikeApiKey(value: string): boolean {
  return /^sk-[0-9A-Za-z]{43}$/.test(value);
}

export function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniformly distributed (256 is not a multiple of 62).
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
