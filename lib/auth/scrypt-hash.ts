import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashes made with Node's built-in scrypt, which runs in libuv's thread pool: hashing never
 * blocks the event loop that serves /v1. The stored text names its parameters
 * (`scrypt$N$r$p$salt$hash`, base64), so they can be raised later without breaking old hashes.
 *
 * N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (32 MiB, roughly a bcrypt cost 12).
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// A stored hash is trusted data, but a corrupted row must not make one sign-in allocate gigabytes.
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, bytes: number): Promise<Buffer> {
  // Node refuses parameters needing more than maxmem (32 MiB by default, exactly our setting's need).
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize("NFC"), salt, bytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export function isScryptHash(stored: string): boolean {
  return stored.startsWith("scrypt$");
}

export async function scryptHash(password: string, params: { N: number; r: number; p: number } = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function scryptVerify(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, key] = stored.split("$");
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (tag !== "scrypt" || !salt || !key) return false;
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0) || params.N > MAX_N || params.r > 32 || params.p > 16) return false;
  const expected = Buffer.from(key, "base64");
  if (expected.length < 16) return false;
  const actual = await derive(password, Buffer.from(salt, "base64"), params, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Whether a hash was made with weaker parameters than today's, so a successful sign-in should renew it. */
export function scryptNeedsRehash(stored: string): boolean {
  const [, n, r, p] = stored.split("$");
  return Number(n) < SCRYPT_PARAMS.N || Number(r) < SCRYPT_PARAMS.r || Number(p) < SCRYPT_PARAMS.p;
}
