import type { Db } from "../db/client";
import { playgroundSettingKey } from "../playground/playground-key";
import { apiKeyStatus, listApiKeys, type ApiKeyStatus } from "./keys";

/** What the portal knows about a key: never its hash, never its full value. Dates as ISO strings. */
export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  status: ApiKeyStatus;
  allowedModels: string[] | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  /** Micro-dollars as decimal strings (bigint does not survive JSON). */
  budget: string | null;
  budgetPeriod: "TOTAL" | "MONTHLY";
  spent: string;
  /** The key the playground calls /v1 with (its plain value is sealed server-side); a new one replaces it if revoked. */
  playground: boolean;
}

interface KeyRecord {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  allowedModels: unknown;
  rpmLimit: number | null;
  tpmLimit: number | null;
  budget: bigint | null;
  budgetPeriod: "TOTAL" | "MONTHLY";
  spent: bigint;
}

export function toKeyRow(key: KeyRecord, now = new Date(), playgroundKeyId: string | null = null): KeyRow {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    status: apiKeyStatus(key, now),
    allowedModels: Array.isArray(key.allowedModels) ? (key.allowedModels as string[]) : null,
    rpmLimit: key.rpmLimit,
    tpmLimit: key.tpmLimit,
    budget: key.budget?.toString() ?? null,
    budgetPeriod: key.budgetPeriod,
    spent: key.spent.toString(),
    playground: playgroundKeyId !== null && key.id === playgroundKeyId,
  };
}

/** The id of the user's current playground key (see lib/playground/playground-key), if one was made. */
export async function playgroundKeyId(db: Db, userId: string): Promise<string | null> {
  const row = await db.setting.findUnique({ where: { key: playgroundSettingKey(userId) }, select: { value: true } });
  if (!row) return null;
  try {
    const { keyId } = JSON.parse(row.value) as { keyId?: unknown };
    return typeof keyId === "string" ? keyId : null;
  } catch {
    return null;
  }
}

/** Every key of the user, newest first, the playground's own key included (and marked). */
export async function listKeyRows(db: Db, userId: string, now = new Date()): Promise<KeyRow[]> {
  const [keys, playground] = await Promise.all([listApiKeys(db, userId), playgroundKeyId(db, userId)]);
  return keys.map((key) => toKeyRow(key, now, playground));
}
