import type { Db } from "../db/client";
import { encryptSecret } from "../crypto/secret-box";
import { UserError } from "../errors";
import { getProvider, PROVIDER_TYPES } from "../gateway/providers";


export interface NewChannel {
  name: string;
  type: string;
  baseUrl?: string | null;
  apiKey?: string | null;
  models: string[];
  modelMapping?: Record<string, string> | null;
  priority?: number;
  weight?: number;
  timeoutMs?: number | null;
  supportsResponses?: boolean;
}

export function parseModelList(value: string): string[] {
  return [...new Set(value.split(",").map((m) => m.trim()).filter(Boolean))];
}

/** "gpt-4o=gpt-4o-2024-08-06,fast=llama3" → { "gpt-4o": "gpt-4o-2024-08-06", fast: "llama3" } */
export function parseModelMapping(value: string): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [from, to, ...rest] = pair.split("=").map((s) => s.trim());
    if (!from || !to || rest.length) throw new UserError(`Bad mapping "${pair}" (expected public=upstream)`, 400, "invalid_mapping", "modelMapping");
    mapping[from] = to;
  }
  return mapping;
}

function validate(input: NewChannel): void {
  if (!input.name.trim()) throw new UserError("Channel name is required", 400, "invalid_name", "name");
  const provider = getProvider(input.type);
  if (!provider) {
    throw new UserError(`Unknown channel type "${input.type}" (one of: ${PROVIDER_TYPES.join(", ")})`, 400, "invalid_type", "type");
  }
  if (input.baseUrl) {
    let url: URL;
    try {
      url = new URL(input.baseUrl);
    } catch {
      throw new UserError(`"${input.baseUrl}" is not a URL`, 400, "invalid_base_url", "baseUrl");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UserError("Base URL must be http(s)", 400, "invalid_base_url", "baseUrl");
  } else if (provider.needsBaseUrl) {
    throw new UserError("Base URL is required for this channel type", 400, "invalid_base_url", "baseUrl");
  }
  if (input.timeoutMs != null && (!Number.isInteger(input.timeoutMs) || input.timeoutMs < 1)) {
    throw new UserError("timeoutMs must be a positive whole number of milliseconds", 400, "invalid_timeout", "timeoutMs");
  }
  if (!input.models.length) throw new UserError("List at least one model the channel serves", 400, "invalid_models", "models");
  for (const [field, value, min] of [["priority", input.priority, -1_000_000], ["weight", input.weight, 1]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new UserError(`${field} must be a whole number ≥ ${min}`, 400, `invalid_${field}`, field);
    }
  }
}

/** Columns safe to show an admin: the upstream key is only ever reported as present or not. */
export const channelPublicFields = {
  id: true,
  name: true,
  type: true,
  baseUrl: true,
  models: true,
  modelMapping: true,
  priority: true,
  weight: true,
  status: true,
  timeoutMs: true,
  supportsResponses: true,
  consecutiveFailures: true,
  lastError: true,
  lastErrorAt: true,
  lastCheckedAt: true,
  lastLatencyMs: true,
  disabledReason: true,
  createdAt: true,
} as const;

export async function addChannel(db: Db, input: NewChannel) {
  validate(input);
  try {
    return await db.channel.create({
      data: {
        name: input.name.trim(),
        type: input.type,
        baseUrl: input.baseUrl ? input.baseUrl.replace(/\/+$/, "") : null,
        apiKeyEnc: input.apiKey ? encryptSecret(input.apiKey) : null,
        models: input.models,
        modelMapping: input.modelMapping && Object.keys(input.modelMapping).length ? input.modelMapping : undefined,
        priority: input.priority ?? 0,
        weight: input.weight ?? 1,
        timeoutMs: input.timeoutMs ?? null,
        supportsResponses: input.supportsResponses ?? false,
      },
      select: channelPublicFields,
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new UserError(`A channel named "${input.name}" already exists`, 409, "channel_exists", "name");
    throw error;
  }
}

export function listChannels(db: Db) {
  return db.channel.findMany({ orderBy: [{ priority: "desc" }, { name: "asc" }], select: { ...channelPublicFields, apiKeyEnc: true } });
}
