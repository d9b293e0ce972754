import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { RequestRecord } from "../gateway/funds/settlement";
import { CounterFamily, HistogramFamily, type CounterChild, type HistogramChild } from "./series";

/**
 * The process's Prometheus metrics: one registry, recorded into by the gateway and served at
 * /metrics (metrics-http.ts). Labels are bounded by configuration, never by callers: models are
 * those the catalog prices (any other name is "unknown"), channels the admin's, endpoints and
 * statuses fixed lists — no key, user or request ids.
 */

/** 1 ms to 120 s: a cached answer to a long reasoning stream. */
export const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

const ENDPOINTS = new Set(["/v1/chat/completions", "/v1/messages", "/v1/responses", "/v1/embeddings"]);
/** Statuses labelled exactly; any other is "other" (its class still tells 4xx from 5xx). */
const STATUSES = new Set([200, 400, 401, 402, 403, 404, 408, 413, 422, 429, 499, 500, 502, 503, 504]);
/** A model that is not in the catalog (a typo, a probe): one series for all of them. */
export const UNKNOWN_MODEL = "unknown";
/** No model (the request failed before its body was read), no channel (it failed before routing). */
export const NONE = "none";


/** What the gauges read at scrape time: cheaper than keeping them current on the hot path. */
export interface MetricSources {
  settlementQueueDepth(): number;
  leasesHeld(): number;
  /** This instance's count of a channel's failures since its last success. */
  channelFailures(channelId: string): number;
  /** Brings the catalog, and with it the channel states, up to date. */
  refreshCatalog(): Promise<void>;
}

export interface LabelledChannel {
  id: string;
  name: string;
  type: string;
}

interface ChannelLabels {
  name: string;
  protocol: string;
}

interface ChannelState extends ChannelLabels {
  enabled: boolean;
  failures: number;
}

interface ModelSeries {
  input: CounterChild;
  cached: CounterChild;
  cacheWrite: CounterChild;
  output: CounterChild;
  reasoning: CounterChild;
  cost: CounterChild;
}

/** Everything one kind of request records into, resolved once per label combination. */
interface RequestSeries {
  requests: CounterChild;
  duration: HistogramChild;
  usage: ModelSeries;
}

const NO_CHANNEL: ChannelLabels = { name: NONE, protocol: NONE };
const UNKNOWN_CHANNEL: ChannelLabels = { name: "unknown", protocol: "unknown" };

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other";
}

export function statusLabel(status: number): string {
  return STATUSES.has(status) ? String(status) : "other";
}

export function endpointLabel(endpoint: string): string {
  return ENDPOINTS.has(endpoint) ? endpoint : "other";
}

class Metrics {
  readonly registry = new Registry();
  streamsInFlight = 0;
  sources: MetricSources | null = null;
  private processMetrics = false;
  private scrapeStates: Promise<ChannelState[]> | null = null;
  /** Priced models: the only model names used as labels. */
  private models: ReadonlySet<string> = new Set();
  /** Every channel seen (a request may settle after its channel left the catalog). */
  private readonly channels = new Map<string, ChannelLabels>();
  private states: ReadonlyArray<{ id: string; enabled: boolean }> = [];
  /**
   * endpoint → model label → channel id → status → series. Nested maps, not one joined key: building
   * and hashing a fresh string per request cost ten times more than the four lookups.
   */
  private readonly series = new Map<string, Map<string, Map<string | null, Map<number, RequestSeries>>>>();
  private readonly modelSeries = new Map<string, ModelSeries>();
  private readonly ttfbSeries = new Map<string, HistogramChild>();

  readonly requests = new CounterFamily("rootapi_requests_total", "Finished /v1 model requests (one per RequestLog row).", [
    "endpoint",
    "protocol",
    "model",
    "channel",
    "status_class",
    "status",
  ]).registerIn(this.registry);
  readonly duration = new HistogramFamily("rootapi_request_duration_seconds", "Time from a /v1 request's arrival to its end (the last byte of a stream).", ["endpoint", "status_class"], SECONDS_BUCKETS).registerIn(
    this.registry,
  );
  readonly upstreamTtfb = new HistogramFamily("rootapi_upstream_ttfb_seconds", "Time from sending a request upstream to its answer's headers, per attempt.", ["protocol", "channel"], SECONDS_BUCKETS).registerIn(
    this.registry,
  );
  readonly tokens = new CounterFamily(
    "rootapi_tokens_total",
    "Tokens of finished requests: input (prompt, cached and cache writes included), cached, cache_write, output (reasoning included), reasoning.",
    ["model", "kind"],
  ).registerIn(this.registry);
  readonly cost = new CounterFamily("rootapi_cost_microdollars_total", "What finished requests were billed, in micro-dollars.", ["model"]).registerIn(this.registry);
  readonly rateLimitRefusals = new CounterFamily("rootapi_rate_limit_refusals_total", "Requests refused by a key's RPM or TPM limit.", ["limit"]).registerIn(this.registry);
  readonly redisErrors = new CounterFamily("rootapi_redis_errors_total", "Failed Redis calls of the shared rate limiter (requests are admitted meanwhile).", []).registerIn(this.registry);
  readonly databaseErrors = new CounterFamily("rootapi_database_errors_total", "Failed database calls of the gateway, by store call.", ["operation"]).registerIn(this.registry);
  readonly settlementBatch = new HistogramFamily("rootapi_settlement_batch_seconds", "Time to write one settlement batch (log rows and ledger entries in one transaction).", [], SECONDS_BUCKETS).registerIn(
    this.registry,
  );

  private readonly refusals = { requests: this.rateLimitRefusals.child("rpm"), tokens: this.rateLimitRefusals.child("tpm") };
  private readonly redisError = this.redisErrors.child();
  private readonly batch = this.settlementBatch.child();

  constructor() {
    const self = this;
    new Gauge({
      name: "rootapi_streams_in_flight",
      help: "/v1 streams being sent right now.",
      registers: [this.registry],
      collect() {
        this.set(self.streamsInFlight);
      },
    });
    new Gauge({
      name: "rootapi_settlement_queue_depth",
      help: "Finished requests waiting to be written (log row, ledger entry).",
      registers: [this.registry],
      collect() {
        if (self.sources) this.set(self.sources.settlementQueueDepth());
      },
    });
    new Gauge({
      name: "rootapi_funds_leases_held",
      help: "Funds leases this instance holds (one per user or key with requests lately).",
      registers: [this.registry],
      collect() {
        if (self.sources) this.set(self.sources.leasesHeld());
      },
    });
    const channelGauge = (name: string, help: string, value: (state: ChannelState) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["channel", "protocol"],
        registers: [this.registry],
        async collect() {
          const states = await self.channelStates();
          this.reset();
          for (const state of states) this.set({ channel: state.name, protocol: state.protocol }, value(state));
        },
      });
    channelGauge("rootapi_channel_enabled", "1 when the channel takes requests, 0 when it was disabled automatically.", (s) => (s.enabled ? 1 : 0));
    channelGauge("rootapi_channel_auto_disabled", "1 when the channel was disabled automatically after consecutive failures.", (s) => (s.enabled ? 0 : 1));
    channelGauge("rootapi_channel_consecutive_failures", "The channel's consecutive failures seen by this instance since its last success.", (s) => s.failures);
  }

  /** The channels' states for one scrape (its three channel gauges share one catalog refresh). */
  private channelStates(): Promise<ChannelState[]> {
    this.scrapeStates ??= (async () => {
      const sources = this.sources;
      if (!sources) return [];
      await sources.refreshCatalog().catch(() => undefined);
      return this.states.map(({ id, enabled }) => ({ ...this.channelLabels(id), enabled, failures: sources.channelFailures(id) }));
    })().finally(() => setImmediate(() => (this.scrapeStates = null)));
    return this.scrapeStates;
  }

  enableProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** The catalog was loaded: which model names and channels labels may show. */
  describeCatalog(models: Iterable<string>, enabled: readonly LabelledChannel[], autoDisabled: readonly LabelledChannel[]): void {
    this.models = new Set(models);
    let renamed = false;
    for (const channel of [...enabled, ...autoDisabled]) {
      const known = this.channels.get(channel.id);
      if (known && known.name === channel.name && known.protocol === channel.type) continue;
      renamed ||= !!known;
      this.channels.set(channel.id, { name: channel.name, protocol: channel.type });
    }
    // Resolved series carry the old name: resolve them again.
    if (renamed) this.series.clear(), this.ttfbSeries.clear();
    this.states = [...enabled.map(({ id }) => ({ id, enabled: true })), ...autoDisabled.map(({ id }) => ({ id, enabled: false }))];
  }

  channelLabels(channelId: string | null): ChannelLabels {
    if (channelId === null) return NO_CHANNEL;
    return this.channels.get(channelId) ?? UNKNOWN_CHANNEL;
  }

  modelLabel(model: string | null): string {
    if (model === null) return NONE;
    return this.models.has(model) ? model : UNKNOWN_MODEL;
  }

  recordRequest(record: RequestRecord): void {
    const series = this.seriesFor(record);
    series.requests.value++;
    this.duration.observe(series.duration, record.latencyMs / 1000);
    const usage = series.usage;
    usage.input.value += record.promptTokens;
    usage.cached.value += record.cachedTokens;
    usage.cacheWrite.value += record.cacheWriteTokens;
    usage.output.value += record.completionTokens;
    usage.reasoning.value += record.reasoningTokens;
    if (record.cost !== 0n) usage.cost.value += Number(record.cost);
  }

  observeUpstreamTtfb(channelId: string, ms: number): void {
    let child = this.ttfbSeries.get(channelId);
    if (!child) {
      const { name, protocol } = this.channelLabels(channelId);
      this.ttfbSeries.set(channelId, (child = this.upstreamTtfb.child(protocol, name)));
    }
    this.upstreamTtfb.observe(child, ms / 1000);
  }

  countRateLimitRefusal(kind: "requests" | "tokens"): void {
    this.refusals[kind].value++;
  }

  countRedisError(): void {
    this.redisError.value++;
  }

  countDatabaseError(operation: string): void {
    this.databaseErrors.child(operation).value++;
  }

  observeSettlementBatch(ms: number): void {
    this.settlementBatch.observe(this.batch, ms / 1000);
  }

  /** Bounded: every part of the path is (the endpoint is one of the gateway's own constants). */
  private seriesFor(record: RequestRecord): RequestSeries {
    const model = this.modelLabel(record.model);
    let byModel = this.series.get(record.endpoint);
    if (!byModel) this.series.set(record.endpoint, (byModel = new Map()));
    let byChannel = byModel.get(model);
    if (!byChannel) byModel.set(model, (byChannel = new Map()));
    let byStatus = byChannel.get(record.channelId);
    if (!byStatus) byChannel.set(record.channelId, (byStatus = new Map()));
    let series = byStatus.get(record.status);
    if (!series) byStatus.set(record.status, (series = this.createSeries(record, model)));
    return series;
  }

  private createSeries(record: RequestRecord, model: string): RequestSeries {
    const endpoint = endpointLabel(record.endpoint);
    const channel = this.channelLabels(record.channelId);
    const statusClassLabel = statusClass(record.status);
    return {
      requests: this.requests.child(endpoint, channel.protocol, model, channel.name, statusClassLabel, statusLabel(record.status)),
      duration: this.duration.child(endpoint, statusClassLabel),
      usage: this.usageOf(model),
    };
  }

  private usageOf(model: string): ModelSeries {
    let series = this.modelSeries.get(model);
    if (!series) {
      const tokens = (kind: string) => this.tokens.child(model, kind);
      series = { input: tokens("input"), cached: tokens("cached"), cacheWrite: tokens("cache_write"), output: tokens("output"), reasoning: tokens("reasoning"), cost: this.cost.child(model) };
      this.modelSeries.set(model, series);
    }
    return series;
  }
}

// On globalThis: the custom server and Next's bundled route handlers may both load this module,
// and both must record into the one registry the server serves.
const holder = globalThis as typeof globalThis & { __rootapiMetrics?: Metrics };
const metrics = (holder.__rootapiMetrics ??= new Metrics());

/** A finished /v1 model request (its RequestLog row): counts, duration, tokens, cost. */
export function recordRequest(record: RequestRecord): void {
  metrics.recordRequest(record);
}

/** One upstream attempt answered (headers received) after `ms`. */
export function observeUpstreamTtfb(channelId: string, ms: number): void {
  metrics.observeUpstreamTtfb(channelId, ms);
}

/** A stream started; call the returned function when it ends (extra calls do nothing). */
export function streamStarted(): () => void {
  metrics.streamsInFlight++;
  let open = true;
  return () => {
    if (open) (open = false), metrics.streamsInFlight--;
  };
}

export function countRateLimitRefusal(kind: "requests" | "tokens"): void {
  metrics.countRateLimitRefusal(kind);
}

export function countRedisError(): void {
  metrics.countRedisError();
}

/** `operation`: a store method's name (a fixed set). */
export function countDatabaseError(operation: string): void {
  metrics.countDatabaseError(operation);
}

export function observeSettlementBatch(ms: number): void {
  metrics.observeSettlementBatch(ms);
}

export function describeCatalog(models: Iterable<string>, enabled: readonly LabelledChannel[], autoDisabled: readonly LabelledChannel[]): void {
  metrics.describeCatalog(models, enabled, autoDisabled);
}

/** Connects the scrape-time gauges to the gateway and turns on Node's process metrics. */
export function enableMetrics(sources: MetricSources): void {
  metrics.sources = sources;
  metrics.enableProcessMetrics();
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}
