import { createHash } from "node:crypto";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { RequestRecord } from "@/lib/gateway/funds/settlement";
import { describeCatalog, endpointLabel, recordRequest, renderMetrics, statusClass, statusLabel, streamStarted } from "@/lib/observability/metrics";
import { bearerMatches, isMetricsPath, readMetricsConfig } from "@/lib/observability/metrics-http";
import { countingDatabaseErrors } from "@/lib/observability/database-errors";
import { CounterFamily, HistogramFamily } from "@/lib/observability/series";
import { parseExposition, series, total } from "../helpers/prometheus";

const record = (fields: Partial<RequestRecord>): RequestRecord => ({
  id: "req_1",
  userId: "user-secret-id",
  apiKeyId: "key-secret-id",
  channelId: null,
  model: null,
  upstreamModel: null,
  endpoint: "/v1/chat/completions",
  stream: false,
  status: 200,
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
  cost: 0n,
  estimated: false,
  latencyMs: 12,
  ttfbMs: null,
  attempts: 0,
  errorCode: null,
  errorMessage: null,
  createdAt: new Date(),
  ...fields,
});

const scrape = async () => parseExposition((await renderMetrics()).body);

describe("metric labels", () => {
  it("classes statuses and keeps exact ones only from a fixed list", () => {
    expect([200, 201, 404, 429, 502, 99, 600].map(statusClass)).toEqual(["2xx", "2xx", "4xx", "4xx", "5xx", "other", "other"]);
    expect([200, 404, 499, 504, 201, 418, 599].map(statusLabel)).toEqual(["200", "404", "499", "504", "other", "other", "other"]);
    expect(endpointLabel("/v1/messages")).toBe("/v1/messages");
    expect(endpointLabel("/v1/whatever")).toBe("other");
  });

  it("labels catalog models and channels by name; other models are one 'unknown' series", async () => {
    describeCatalog(["unit-model"], [{ id: "ch-1", name: "unit-channel", type: "openai" }], []);
    recordRequest(record({ model: "unit-model", channelId: "ch-1", promptTokens: 10, cachedTokens: 4, cacheWriteTokens: 2, completionTokens: 5, reasoningTokens: 1, cost: 123n }));
    for (let i = 0; i < 50; i++) recordRequest(record({ model: `typo-${i}`, status: 404 }));
    const metrics = await scrape();
    expect(total(metrics, "rootapi_requests_total", { model: "unit-model", channel: "unit-channel", protocol: "openai", status_class: "2xx", status: "200" })).toBe(1);
    expect(series(metrics, "rootapi_requests_total", { model: "unknown", status: "404" })).toHaveLength(1);
    expect(total(metrics, "rootapi_requests_total", { model: "unknown", status: "404", channel: "none" })).toBe(50);
    expect(total(metrics, "rootapi_tokens_total", { model: "unit-model", kind: "input" })).toBe(10);
    expect(total(metrics, "rootapi_tokens_total", { model: "unit-model", kind: "cached" })).toBe(4);
    expect(total(metrics, "rootapi_tokens_total", { model: "unit-model", kind: "cache_write" })).toBe(2);
    expect(total(metrics, "rootapi_tokens_total", { model: "unit-model", kind: "output" })).toBe(5);
    expect(total(metrics, "rootapi_tokens_total", { model: "unit-model", kind: "reasoning" })).toBe(1);
    expect(total(metrics, "rootapi_cost_microdollars_total", { model: "unit-model" })).toBe(123);
    const labelValues = metrics.samples.flatMap((s) => Object.values(s.labels));
    expect(labelValues).not.toContain("user-secret-id");
    expect(labelValues).not.toContain("key-secret-id");
    expect(labelValues.some((v) => v.startsWith("typo-"))).toBe(false);
  });

  it("follows a renamed channel", async () => {
    describeCatalog([], [{ id: "ch-2", name: "before", type: "gemini" }], []);
    recordRequest(record({ channelId: "ch-2" }));
    describeCatalog([], [{ id: "ch-2", name: "after", type: "gemini" }], []);
    recordRequest(record({ channelId: "ch-2" }));
    const metrics = await scrape();
    expect(total(metrics, "rootapi_requests_total", { channel: "before", protocol: "gemini" })).toBe(1);
    expect(total(metrics, "rootapi_requests_total", { channel: "after", protocol: "gemini" })).toBe(1);
  });

  it("counts a stream once however often its end is reported", async () => {
    const base = total(await scrape(), "rootapi_streams_in_flight");
    const ended = streamStarted();
    expect(total(await scrape(), "rootapi_streams_in_flight")).toBe(base + 1);
    ended();
    ended();
    expect(total(await scrape(), "rootapi_streams_in_flight")).toBe(base);
  });
});

describe("database errors", () => {
  it("counts each failed store call by its method, and passes results and errors through", async () => {
    class Store {
      private rows = 2;
      async count() {
        return this.rows;
      }
      async settle(): Promise<void> {
        throw new Error("disk full");
      }
      close(): void {
        throw new Error("already closed");
      }
    }
    const store = countingDatabaseErrors(new Store());
    const before = await scrape();
    expect(await store.count()).toBe(2);
    await expect(store.settle()).rejects.toThrow("disk full");
    await expect(store.settle()).rejects.toThrow("disk full");
    expect(() => store.close()).toThrow("already closed");
    const after = await scrape();
    const delta = (operation: string) => total(after, "rootapi_database_errors_total", { operation }) - total(before, "rootapi_database_errors_total", { operation });
    expect(delta("settle")).toBe(2);
    expect(delta("close")).toBe(1);
    expect(delta("count")).toBe(0);
  });
});

describe("series exported through a prom-client registry", () => {
  it("writes counters and cumulative histogram buckets in the text format", async () => {
    const registry = new Registry();
    const counter = new CounterFamily("t_total", "help", ["a"]).registerIn(registry);
    const histogram = new HistogramFamily("t_seconds", "help", ["a"], [0.1, 1]).registerIn(registry);
    counter.child('quo"te\\').value += 3;
    const child = histogram.child("x");
    for (const v of [0.05, 0.1, 0.5, 5]) histogram.observe(child, v);
    const parsed = parseExposition(await registry.metrics());
    expect(parsed.types.get("t_total")).toBe("counter");
    expect(parsed.types.get("t_seconds")).toBe("histogram");
    expect(total(parsed, "t_total", { a: 'quo"te\\' })).toBe(3);
    expect(series(parsed, "t_seconds_bucket", { a: "x" }).map((s) => [s.labels.le, s.value])).toEqual([
      ["0.1", 2],
      ["1", 3],
      ["+Inf", 4],
    ]);
    expect(total(parsed, "t_seconds_count", { a: "x" })).toBe(4);
    expect(total(parsed, "t_seconds_sum", { a: "x" })).toBeCloseTo(5.65);
  });
});

describe("metrics endpoint configuration", () => {
  const digest = createHash("sha256").update("s3cret").digest();

  it("accepts only the exact bearer token", () => {
    expect(bearerMatches("Bearer s3cret", digest)).toBe(true);
    expect(bearerMatches("bearer  s3cret", digest)).toBe(true);
    expect(bearerMatches("Bearer s3cret2", digest)).toBe(false);
    expect(bearerMatches("Bearer ", digest)).toBe(false);
    expect(bearerMatches("s3cret", digest)).toBe(false);
    expect(bearerMatches("Basic s3cret", digest)).toBe(false);
    expect(bearerMatches(undefined, digest)).toBe(false);
  });

  it("reads METRICS_TOKEN, METRICS_PORT and METRICS_HOST", () => {
    expect(readMetricsConfig({})).toEqual({ token: null, port: null, host: "127.0.0.1" });
    expect(readMetricsConfig({ METRICS_TOKEN: "t", METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" })).toEqual({ token: "t", port: 9464, host: "0.0.0.0" });
    expect(() => readMetricsConfig({ METRICS_PORT: "http" })).toThrow(/METRICS_PORT/);
    expect(() => readMetricsConfig({ METRICS_PORT: "70000" })).toThrow(/METRICS_PORT/);
  });

  it("matches the /metrics path only", () => {
    expect(isMetricsPath("/metrics")).toBe(true);
    expect(isMetricsPath("/metrics?x=1")).toBe(true);
    expect(isMetricsPath("/metricsx")).toBe(false);
    expect(isMetricsPath("/v1/metrics")).toBe(false);
  });
});
