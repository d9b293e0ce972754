import type { HotStore } from "../store";
import { hashApiKey } from "../../keys/api-key";
import { invalidApiKey } from "./errors";
import { TtlCache } from "../ttl-cache";

/** Who is calling: an API key and its owner, with the key's limits. Cached for a few seconds. */
export interface Caller {
  keyId: string;
  userId: string;
  allowedModels: ReadonlySet<string> | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  /** Micro-dollars; null = no budget. */
  budget: bigint | null;
  /** A MONTHLY budget starts over on the 1st (UTC); TOTAL never does. */
  budgetMonthly: boolean;
  expiresAt: number | null;
  revoked: boolean;
  userDisabled: boolean;
}

/** Keys, revocations and limits changed elsewhere (portal, CLI) apply within this time. */
export const KEY_CACHE_TTL_MS = 3_000;

// On globalThis, like the catalog: the portal's key changes (Next's bundle) clear what /v1 (the
// custom server's bundle) reads.
const keyCache = ((globalThis as typeof globalThis & { __rootapiKeyCache?: TtlCache<string, Caller | null> }).__rootapiKeyCache ??= new TtlCache<string, Caller | null>(KEY_CACHE_TTL_MS));

/** Reads the bearer token (OpenAI SDKs send `Authorization: Bearer <key>`). */
export function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1]! : null;
}

async function loadCaller(store: HotStore, keyHash: string): Promise<Caller | null> {
  const key = await store.findKey(keyHash);
  if (!key) return null;
  const models = Array.isArray(key.allowedModels) ? (key.allowedModels as string[]) : null;
  return {
    keyId: key.id,
    userId: key.userId,
    allowedModels: models && models.length ? new Set(models) : null,
    rpmLimit: key.rpmLimit,
    tpmLimit: key.tpmLimit,
    budget: key.budget,
    budgetMonthly: key.budgetPeriod === "MONTHLY",
    expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
    revoked: key.revokedAt !== null,
    userDisabled: key.userDisabled,
  };
}

export const MISSING_BEARER_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

/** The caller of an OpenAI-style request (`Authorization: Bearer <key>`). */
export function authenticate(store: HotStore, authorization: string | null, now = Date.now()): Promise<Caller> {
  return authenticateKey(store, bearerToken(authorization), MISSING_BEARER_KEY, now);
}

/** The caller behind an API key, however its protocol presents it; `missing` is what a request without one is told. */
export async function authenticateKey(store: HotStore, token: string | null, missing: string, now = Date.now()): Promise<Caller> {
  if (!token) throw invalidApiKey(missing);
  const caller = await keyCache.get(hashApiKey(token), (hash) => loadCaller(store, hash));
  const shown = token.length > 10 ? `${token.slice(0, 6)}…${token.slice(-4)}` : "***";
  if (!caller) throw invalidApiKey(`Incorrect API key provided: ${shown}. You can find your API keys in the portal.`);
  if (caller.revoked) throw invalidApiKey(`The API key ${shown} has been revoked.`);
  if (caller.expiresAt !== null && caller.expiresAt <= now) throw invalidApiKey(`The API key ${shown} has expired.`);
  if (caller.userDisabled) throw invalidApiKey("The account this API key belongs to is disabled.");
  return caller;
}

/** Tests and admin actions that must apply at once. */
export function clearKeyCache(): void {
  keyCache.clear();
}
