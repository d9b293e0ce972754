import { apiKeyStatus, type ApiKeyStatus } from "./keys";

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

export function toKeyRow(key: KeyRecord, now = new Date()): KeyRow {
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
  };
}
