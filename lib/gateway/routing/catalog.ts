import type { HotStore } from "../store";
import { decryptSecret } from "../../crypto/secret-box";
import type { Price } from "../../billing/pricing";
import type { ChannelConfig } from "../providers/types";
import { rememberChannelSecrets } from "../tenant/tenant-text";
import { describeCatalog } from "../../observability/metrics";
import { logger } from "../../observability/log";

const log = logger("routing");

/**
 * What the gateway routes by — enabled channels per public model and the price of each model —
 * loaded in one go and kept in memory, so /v1 requests never query the database for it. A snapshot
 * older than REFRESH_AFTER_MS is refreshed in the background; one older than MAX_AGE_MS is refreshed
 * before use, so admin and CLI changes apply within seconds.
 */
export interface RoutedChannel extends ChannelConfig {
  priority: number;
  weight: number;
  /** Public model id → upstream model id. */
  modelMapping: Record<string, string>;
  models: string[];
  /** Forward /v1/responses natively instead of translating to Chat Completions. */
  supportsResponses: boolean;
}

export interface Catalog {
  channelsByModel: ReadonlyMap<string, readonly RoutedChannel[]>;
  prices: ReadonlyMap<string, Price>;
  /** Models that can be called: served by an enabled channel and priced. Sorted. */
  models: readonly string[];
  /**
   * Priced models whose every channel was disabled automatically (failing upstreams): temporarily
   * unavailable (503), not unknown (404).
   */
  unavailable: ReadonlySet<string>;
  /** When each callable model was first configured (for /v1/models `created`). */
  createdAt: ReadonlyMap<string, number>;
  loadedAt: number;
}

const REFRESH_AFTER_MS = 2_000;
const MAX_AGE_MS = 4_000;
export const DEFAULT_CHANNEL_TIMEOUT_MS = 300_000;

/**
 * On globalThis: the custom server's /v1 and Next's bundled route handlers (admin changes) load
 * this module separately in one process, and an invalidation from either must reach both. The
 * generation makes a load that started before an invalidation unable to store what it read.
 */
interface CatalogState {
  current: Catalog | null;
  refreshing: Promise<Catalog> | null;
  generation: number;
}
const holder = globalThis as typeof globalThis & { __rootapiCatalog?: CatalogState };
const state = (holder.__rootapiCatalog ??= { current: null, refreshing: null, generation: 0 });

export async function loadCatalog(store: HotStore, now = Date.now()): Promise<Catalog> {
  const [channels, autoDisabled, prices] = await Promise.all([store.channels("ENABLED"), store.channels("AUTO_DISABLED"), store.prices()]);
  const priceMap = new Map<string, Price>(
    prices.map((p) => [
      p.model,
      { inputPrice: p.inputPrice, outputPrice: p.outputPrice, cachedInputPrice: p.cachedInputPrice, cacheWritePrice: p.cacheWritePrice, cacheWrite1hPrice: p.cacheWrite1hPrice },
    ]),
  );
  const byModel = new Map<string, RoutedChannel[]>();
  const createdAt = new Map<string, number>();
  const routedAll: RoutedChannel[] = [];
  for (const channel of channels) {
    let apiKey: string | null = null;
    try {
      apiKey = channel.apiKeyEnc ? decryptSecret(channel.apiKeyEnc) : null;
    } catch {
      // A key sealed with another encryption key cannot be used; skip the channel rather than fail every model.
      log.error({ event: "channel.undecryptable", channelId: channel.id, channel: channel.name }, "Cannot decrypt the channel's API key (was ROOTAPI_ENCRYPTION_KEY changed?); skipping it");
      continue;
    }
    const models = Array.isArray(channel.models) ? (channel.models as string[]) : [];
    const routed: RoutedChannel = {
      id: channel.id,
      name: channel.name,
      type: channel.type,
      baseUrl: channel.baseUrl,
      apiKey,
      timeoutMs: channel.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS,
      config: (channel.config as Record<string, unknown> | null) ?? null,
      priority: channel.priority,
      weight: channel.weight,
      modelMapping: (channel.modelMapping as Record<string, string> | null) ?? {},
      models,
      supportsResponses: channel.supportsResponses,
    };
    routedAll.push(routed);
    for (const model of models) {
      byModel.set(model, [...(byModel.get(model) ?? []), routed]);
      const created = channel.createdAt.getTime();
      createdAt.set(model, Math.min(createdAt.get(model) ?? created, created));
    }
  }
  rememberChannelSecrets(routedAll);
  describeCatalog(priceMap.keys(), channels, autoDisabled);
  const models = [...byModel.keys()].filter((m) => priceMap.has(m)).sort();
  const unavailable = new Set<string>();
  for (const channel of autoDisabled) {
    for (const model of Array.isArray(channel.models) ? (channel.models as string[]) : []) {
      if (priceMap.has(model) && !byModel.has(model)) unavailable.add(model);
    }
  }
  return { channelsByModel: byModel, prices: priceMap, models, unavailable, createdAt, loadedAt: now };
}

export async function getCatalog(store: HotStore, now = Date.now()): Promise<Catalog> {
  const snapshot = state.current;
  if (snapshot && now - snapshot.loadedAt < MAX_AGE_MS) {
    if (now - snapshot.loadedAt >= REFRESH_AFTER_MS) void refresh(store).catch((error: unknown) => log.error({ event: "catalog.refresh_failed", err: error }, "Catalog refresh failed"));
    return snapshot;
  }
  return refresh(store);
}

function refresh(store: HotStore): Promise<Catalog> {
  const generation = state.generation;
  const loading = (state.refreshing ??= loadCatalog(store).then(
    (catalog) => {
      if (state.refreshing === loading) state.refreshing = null;
      if (state.generation === generation) state.current = catalog;
      return catalog;
    },
    (error: unknown) => {
      if (state.refreshing === loading) state.refreshing = null;
      throw error;
    },
  ));
  return loading;
}

/** Forget the snapshot (tests, and admin changes made in this process that must apply at once). */
export function invalidateCatalog(): void {
  state.current = null;
  state.refreshing = null;
  state.generation++;
}

export function upstreamModel(channel: RoutedChannel, model: string): string {
  return channel.modelMapping[model] ?? model;
}
