/**
 * What the admin console knows about a channel: everything but the upstream key, which is only
 * reported as present or not. Dates as ISO strings, so rows cross to the browser as plain JSON.
 * No server imports: client components import this file's types.
 */
export type ChannelStatusName = "ENABLED" | "DISABLED" | "AUTO_DISABLED";

export interface ChannelRow {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
  hasApiKey: boolean;
  models: string[];
  modelMapping: Record<string, string>;
  priority: number;
  weight: number;
  status: ChannelStatusName;
  timeoutMs: number | null;
  supportsResponses: boolean;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastCheckedAt: string | null;
  lastLatencyMs: number | null;
  disabledReason: string | null;
  createdAt: string;
}

interface ChannelRecord {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
  apiKeyEnc?: string | null;
  models: unknown;
  modelMapping: unknown;
  priority: number;
  weight: number;
  status: string;
  timeoutMs: number | null;
  supportsResponses: boolean;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastCheckedAt: Date | null;
  lastLatencyMs: number | null;
  disabledReason: string | null;
  createdAt: Date;
}

export function toChannelRow(channel: ChannelRecord): ChannelRow {
  const mapping = channel.modelMapping && typeof channel.modelMapping === "object" && !Array.isArray(channel.modelMapping) ? channel.modelMapping : {};
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    hasApiKey: !!channel.apiKeyEnc,
    models: Array.isArray(channel.models) ? channel.models.filter((m): m is string => typeof m === "string") : [],
    modelMapping: Object.fromEntries(Object.entries(mapping).filter((e): e is [string, string] => typeof e[1] === "string")),
    priority: channel.priority,
    weight: channel.weight,
    status: channel.status as ChannelStatusName,
    timeoutMs: channel.timeoutMs,
    supportsResponses: channel.supportsResponses,
    consecutiveFailures: channel.consecutiveFailures,
    lastError: channel.lastError,
    lastErrorAt: channel.lastErrorAt?.toISOString() ?? null,
    lastCheckedAt: channel.lastCheckedAt?.toISOString() ?? null,
    lastLatencyMs: channel.lastLatencyMs,
    disabledReason: channel.disabledReason,
    createdAt: channel.createdAt.toISOString(),
  };
}

/** { a: "b" } → "a=b" lines, the form's text for a mapping. */
export function mappingToText(mapping: Record<string, string>): string {
  return Object.entries(mapping)
    .map(([from, to]) => `${from}=${to}`)
    .join("\n");
}
