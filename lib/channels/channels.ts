import type { Db } from "../db/client";
import { ChannelStatus, Prisma } from "../db/client";
import { encryptSecret } from "../crypto/secret-box";
import { invalidateCatalog } from "../gateway/routing/catalog";
import { testChannel } from "../gateway/routing/channel-test";
import { UserError, apiMessage } from "../errors";
import { getProvider, PROVIDER_TYPES } from "../gateway/providers";
import { getGateway } from "../gateway/context";

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
    if (!from || !to || rest.length) throw new UserError(`Bad mapping "${pair}" (expected public=upstream)`, 400, "invalid_mapping", "modelMapping", apiMessage("mappingBad", { pair }));
    mapping[from] = to;
  }
  return mapping;
}

/** A channel without a base URL gets its type's default one (Anthropic's API origin, say), if it has one. */
export function withDefaultBaseUrl<T extends NewChannel>(input: T): T {
  if (input.baseUrl?.trim()) return input;
  const fallback = getProvider(input.type)?.defaultBaseUrl;
  return fallback ? { ...input, baseUrl: fallback } : input;
}

export function validateChannel(input: NewChannel): void {
  if (!input.name.trim()) throw new UserError("Channel name is required", 400, "invalid_name", "name", apiMessage("channelNameRequired"));
  if (input.name.trim().length > 100) throw new UserError("Channel name is too long (100 characters at most)", 400, "invalid_name", "name", apiMessage("channelNameTooLong"));
  const provider = getProvider(input.type);
  if (!provider) {
    throw new UserError(`Unknown channel type "${input.type}" (one of: ${PROVIDER_TYPES.join(", ")})`, 400, "invalid_type", "type", apiMessage("channelType", { type: input.type, types: PROVIDER_TYPES.join(", ") }));
  }
  if (input.baseUrl) {
    let url: URL;
    try {
      url = new URL(input.baseUrl);
    } catch {
      throw new UserError(`"${input.baseUrl}" is not a URL`, 400, "invalid_base_url", "baseUrl", apiMessage("baseUrlInvalid", { url: input.baseUrl }));
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UserError("Base URL must be http(s)", 400, "invalid_base_url", "baseUrl", apiMessage("baseUrlProtocol"));
  } else if (provider.needsBaseUrl) {
    throw new UserError("Base URL is required for this channel type", 400, "invalid_base_url", "baseUrl", apiMessage("baseUrlRequired"));
  }
  if (input.timeoutMs != null && (!Number.isInteger(input.timeoutMs) || input.timeoutMs < 1)) {
    throw new UserError("timeoutMs must be a positive whole number of milliseconds", 400, "invalid_timeout", "timeoutMs", apiMessage("timeoutInvalid"));
  }
  if (!input.models.length) throw new UserError("List at least one model the channel serves", 400, "invalid_models", "models", apiMessage("modelsRequired"));
  const unserved = Object.keys(input.modelMapping ?? {}).filter((model) => !input.models.includes(model));
  if (unserved.length) {
    throw new UserError(`The mapping names models the channel does not serve: ${unserved.join(", ")}`, 400, "invalid_mapping", "modelMapping", apiMessage("mappingUnserved", { models: unserved.join(", ") }));
  }
  for (const [field, value, min] of [["priority", input.priority, -1_000_000], ["weight", input.weight, 1]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new UserError(`${field} must be a whole number ≥ ${min}`, 400, `invalid_${field}`, field, apiMessage("fieldMin", { field, min }));
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

export async function addChannel(db: Db, channel: NewChannel) {
  const input = withDefaultBaseUrl(channel);
  validateChannel(input);
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
    if ((error as { code?: string }).code === "P2002") throw new UserError(`A channel named "${input.name}" already exists`, 409, "channel_exists", "name", apiMessage("channelExists", { name: input.name }));
    throw error;
  }
}

export function listChannels(db: Db) {
  return db.channel.findMany({ orderBy: [{ priority: "desc" }, { name: "asc" }], select: { ...channelPublicFields, apiKeyEnc: true } });
}

/**
 * A change to a channel. Omitted fields stay as they are. The upstream key is write-only: an empty or
 * omitted `apiKey` keeps the stored one, a new one is encrypted; `clearApiKey` removes it.
 */
export type ChannelPatch = Partial<NewChannel> & { clearApiKey?: boolean };

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";
const isMissingRow = (error: unknown) => (error as { code?: string }).code === "P2025";
const channelNotFound = () => new UserError("Channel not found", 404, "not_found", undefined, apiMessage("channelNotFound"));

function storedModels(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((m): m is string => typeof m === "string") : [];
}

function storedMapping(value: unknown): Record<string, string> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, string>) : {};
}

/** Applies a patch with the same rules as addChannel (the merged channel is validated as a whole). */
export async function updateChannel(db: Db, id: string, patch: ChannelPatch) {
  const current = await db.channel.findUnique({ where: { id } });
  if (!current) throw channelNotFound();
  const merged: NewChannel = withDefaultBaseUrl({
    name: patch.name ?? current.name,
    type: patch.type ?? current.type,
    baseUrl: patch.baseUrl !== undefined ? patch.baseUrl : current.baseUrl,
    models: patch.models ?? storedModels(current.models),
    modelMapping: patch.modelMapping !== undefined ? patch.modelMapping : storedMapping(current.modelMapping),
    priority: patch.priority ?? current.priority,
    weight: patch.weight ?? current.weight,
    timeoutMs: patch.timeoutMs !== undefined ? patch.timeoutMs : current.timeoutMs,
    supportsResponses: patch.supportsResponses ?? current.supportsResponses,
  });
  validateChannel(merged);
  const newKey = patch.apiKey?.trim() ? patch.apiKey.trim() : null;
  try {
    const channel = await db.channel.update({
      where: { id },
      data: {
        name: merged.name.trim(),
        type: merged.type,
        baseUrl: merged.baseUrl ? merged.baseUrl.replace(/\/+$/, "") : null,
        ...(newKey ? { apiKeyEnc: encryptSecret(newKey) } : patch.clearApiKey ? { apiKeyEnc: null } : {}),
        models: merged.models,
        modelMapping: merged.modelMapping && Object.keys(merged.modelMapping).length ? merged.modelMapping : Prisma.DbNull,
        priority: merged.priority,
        weight: merged.weight,
        timeoutMs: merged.timeoutMs ?? null,
        supportsResponses: merged.supportsResponses,
      },
      select: { ...channelPublicFields, apiKeyEnc: true },
    });
    invalidateCatalog();
    return channel;
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserError(`A channel named "${merged.name.trim()}" already exists`, 409, "channel_exists", "name", apiMessage("channelExists", { name: merged.name.trim() }));
    if (isMissingRow(error)) throw channelNotFound();
    throw error;
  }
}

/**
 * Enables or disables a channel by hand. Enabling also clears what automatic disabling left behind
 * (failure count and reason), so the channel starts with a clean slate.
 */
export async function setChannelEnabled(db: Db, id: string, enabled: boolean, reason?: string | null) {
  try {
    const channel = await db.channel.update({
      where: { id },
      data: enabled
        ? { status: ChannelStatus.ENABLED, consecutiveFailures: 0, disabledReason: null }
        : { status: ChannelStatus.DISABLED, disabledReason: reason?.slice(0, 1000) || "Disabled by an administrator" },
      select: { ...channelPublicFields, apiKeyEnc: true },
    });
    invalidateCatalog();
    if (enabled) getGateway().health.forget(id);
    return channel;
  } catch (error) {
    if (isMissingRow(error)) throw channelNotFound();
    throw error;
  }
}

/** Deletes a channel; its request log rows stay (their channelId becomes null). */
export async function deleteChannel(db: Db, id: string): Promise<void> {
  try {
    await db.channel.delete({ where: { id } });
  } catch (error) {
    if (isMissingRow(error)) throw channelNotFound();
    throw error;
  }
  invalidateCatalog();
}

export function getChannel(db: Db, id: string) {
  return db.channel.findUnique({ where: { id }, select: { ...channelPublicFields, apiKeyEnc: true } });
}

/** Runs the admin console's "test" on a channel and records the outcome on it. */
export async function testAndRecordChannel(db: Db, id: string, timeoutMs = 20_000) {
  const channel = await db.channel.findUnique({ where: { id } });
  if (!channel) throw channelNotFound();
  const result = await testChannel(channel, timeoutMs);
  const now = new Date();
  const updated = await db.channel.update({
    where: { id },
    data: {
      lastCheckedAt: now,
      lastLatencyMs: result.latencyMs,
      ...(result.ok ? {} : { lastError: (result.error ?? "Test failed").slice(0, 1000), lastErrorAt: now }),
    },
    select: { ...channelPublicFields, apiKeyEnc: true },
  });
  return { result, channel: updated };
}

/** Every model some channel lists (enabled or not), with the channels serving it. */
export async function servedModels(db: Db): Promise<Map<string, string[]>> {
  const channels = await db.channel.findMany({ select: { name: true, models: true }, orderBy: { name: "asc" } });
  const served = new Map<string, string[]>();
  for (const channel of channels) for (const model of storedModels(channel.models)) served.set(model, [...(served.get(model) ?? []), channel.name]);
  return served;
}
