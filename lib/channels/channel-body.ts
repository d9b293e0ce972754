import { UserError, apiMessage } from "../errors";
import { parseModelList, parseModelMapping, type ChannelPatch, type NewChannel } from "./channels";

/**
 * The admin console's channel JSON body → a NewChannel or a patch. Models may be a comma list or an
 * array; the mapping `public=upstream` lines (newline- or comma-separated) or an object. Numbers may
 * arrive as strings (form fields); "" means "not set".
 */
export interface ChannelBody {
  name?: unknown;
  type?: unknown;
  baseUrl?: unknown;
  apiKey?: unknown;
  clearApiKey?: unknown;
  models?: unknown;
  modelMapping?: unknown;
  priority?: unknown;
  weight?: unknown;
  timeoutMs?: unknown;
  supportsResponses?: unknown;
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string") throw new UserError(`${field} must be text`, 400, `invalid_${field}`, field, apiMessage("fieldText", { field }));
  return value;
}

function optionalText(value: unknown, field: string): string | null {
  if (value === null) return null;
  const s = text(value, field).trim();
  return s ? s : null;
}

function integer(value: unknown, field: string): number | null {
  if (value === null || value === "") return null;
  const n = typeof value === "number" ? value : typeof value === "string" && /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new UserError(`${field} must be a whole number`, 400, `invalid_${field}`, field, apiMessage("fieldInteger", { field }));
  return n;
}

function models(value: unknown): string[] {
  if (Array.isArray(value)) return parseModelList(value.map((m) => text(m, "models")).join(","));
  return parseModelList(text(value, "models").replace(/\n/g, ","));
}

function mapping(value: unknown): Record<string, string> | null {
  if (value === null) return null;
  if (typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).map(([from, to]) => [from.trim(), text(to, "modelMapping").trim()] as const);
    if (entries.some(([from, to]) => !from || !to)) throw new UserError("Every mapping needs a public and an upstream model", 400, "invalid_mapping", "modelMapping", apiMessage("mappingIncomplete"));
    return Object.fromEntries(entries);
  }
  return parseModelMapping(text(value, "modelMapping").replace(/\n/g, ","));
}

function flag(value: unknown, field: string): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "on") return true;
  if (value === "false" || value === "" || value === null) return false;
  throw new UserError(`${field} must be true or false`, 400, `invalid_${field}`, field, apiMessage("fieldFlag", { field }));
}

export function parseChannelPatch(body: ChannelBody): ChannelPatch {
  const patch: ChannelPatch = {};
  if (body.name !== undefined) patch.name = text(body.name, "name");
  if (body.type !== undefined) patch.type = text(body.type, "type").trim();
  if (body.baseUrl !== undefined) patch.baseUrl = optionalText(body.baseUrl, "baseUrl");
  if (body.apiKey !== undefined && body.apiKey !== null) patch.apiKey = text(body.apiKey, "apiKey");
  if (body.clearApiKey !== undefined) patch.clearApiKey = flag(body.clearApiKey, "clearApiKey");
  if (body.models !== undefined) patch.models = models(body.models);
  if (body.modelMapping !== undefined) patch.modelMapping = mapping(body.modelMapping);
  if (body.priority !== undefined) patch.priority = integer(body.priority, "priority") ?? 0;
  if (body.weight !== undefined) patch.weight = integer(body.weight, "weight") ?? 1;
  if (body.timeoutMs !== undefined) patch.timeoutMs = integer(body.timeoutMs, "timeoutMs");
  if (body.supportsResponses !== undefined) patch.supportsResponses = flag(body.supportsResponses, "supportsResponses");
  return patch;
}

export function parseNewChannel(body: ChannelBody): NewChannel {
  const patch = parseChannelPatch(body);
  return {
    ...patch,
    name: patch.name ?? "",
    type: patch.type ?? "",
    models: patch.models ?? [],
    apiKey: patch.apiKey?.trim() || null,
  };
}
