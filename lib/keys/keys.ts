import type { Db } from "../db/client";
import { clearKeyCache } from "../gateway/pipeline/authenticate";
import { UserError, apiMessage, notFound } from "../errors";
import { apiKeyPrefix, generateApiKey, hashApiKey } from "./api-key";

export interface NewApiKey {
  name: string;
  expiresAt?: Date | null;
  allowedModels?: string[] | null;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  /** Micro-dollars. */
  budget?: bigint | null;
  budgetPeriod?: "TOTAL" | "MONTHLY";
}

/** Columns safe to send to the portal: never the hash. */
export const apiKeyPublicFields = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  allowedModels: true,
  rpmLimit: true,
  tpmLimit: true,
  budget: true,
  budgetPeriod: true,
  spent: true,
} as const;

function validate(input: NewApiKey, now: Date): void {
  const name = input.name.trim();
  if (!name) throw new UserError("Give the key a name", 400, "invalid_name", "name", apiMessage("keyNameRequired"));
  if (name.length > 64) throw new UserError("Key names are at most 64 characters", 400, "invalid_name", "name", apiMessage("keyNameTooLong", { max: 64 }));
  if (input.expiresAt) {
    if (Number.isNaN(input.expiresAt.getTime())) throw new UserError("Expiry is not a valid date", 400, "invalid_expiry", "expiresAt", apiMessage("expiryInvalid"));
    if (input.expiresAt <= now) throw new UserError("Expiry must be in the future", 400, "invalid_expiry", "expiresAt", apiMessage("expiryPast"));
  }
  for (const [field, value] of [["rpmLimit", input.rpmLimit], ["tpmLimit", input.tpmLimit]] as const) {
    if (value != null && (!Number.isInteger(value) || value <= 0)) {
      throw new UserError(`${field} must be a positive whole number`, 400, "invalid_limit", field, apiMessage("limitInvalid", { field }));
    }
  }
  if (input.budgetPeriod && input.budgetPeriod !== "TOTAL" && input.budgetPeriod !== "MONTHLY") {
    throw new UserError("Budget period must be TOTAL or MONTHLY", 400, "invalid_budget_period", "budgetPeriod", apiMessage("budgetPeriodInvalid"));
  }
  if (input.budget != null && input.budget <= 0n) throw new UserError("Budget must be positive", 400, "invalid_budget", "budget", apiMessage("budgetNotPositive"));
  if (input.allowedModels && input.allowedModels.some((m) => !m.trim())) {
    throw new UserError("Model names cannot be empty", 400, "invalid_models", "allowedModels", apiMessage("modelsInvalid"));
  }
}

/** Creates a key; the returned `key` is the only time the full value exists outside its owner's hands. */
export async function createApiKey(db: Db, userId: string, input: NewApiKey, now = new Date()) {
  validate(input, now);
  const key = generateApiKey();
  const record = await db.apiKey.create({
    data: {
      userId,
      name: input.name.trim(),
      keyHash: hashApiKey(key),
      prefix: apiKeyPrefix(key),
      expiresAt: input.expiresAt ?? null,
      allowedModels: input.allowedModels?.length ? input.allowedModels.map((m) => m.trim()) : undefined,
      rpmLimit: input.rpmLimit ?? null,
      tpmLimit: input.tpmLimit ?? null,
      budget: input.budget ?? null,
      budgetPeriod: input.budgetPeriod ?? "TOTAL",
    },
    select: apiKeyPublicFields,
  });
  return { key, record };
}

export function listApiKeys(db: Db, userId: string) {
  return db.apiKey.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: apiKeyPublicFields });
}

/** Revokes one of `userId`'s keys; someone else's key id is "not found", never a hint it exists. */
export async function revokeApiKey(db: Db, userId: string, keyId: string, now = new Date()) {
  const { count } = await db.apiKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: now } });
  // This instance refuses the key at once; others within the key cache's few seconds.
  clearKeyCache();
  if (count === 0) {
    const key = await db.apiKey.findFirst({ where: { id: keyId, userId }, select: { id: true } });
    if (!key) throw notFound("API key", apiMessage("keyNotFound"));
  }
}

export async function revokeApiKeyByValue(db: Db, key: string, now = new Date()) {
  const record = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, select: { id: true, revokedAt: true } });
  if (!record) throw notFound("API key", apiMessage("keyNotFound"));
  if (!record.revokedAt) await db.apiKey.update({ where: { id: record.id }, data: { revokedAt: now } });
  clearKeyCache();
}

export type ApiKeyStatus = "active" | "revoked" | "expired";

export function apiKeyStatus(key: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}
