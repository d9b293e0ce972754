import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { parseExposition, series, total, type Exposition } from "../helpers/prometheus";
import { startServer, type RunningServer } from "../helpers/server";

/** µ$ per 1M tokens. */
const IN = 2_000_000n;
const OUT = 8_000_000n;
const CACHED = 500_000n;
const TOKEN = "metrics-test-token-0123456789";
const CHAT = "/v1/chat/completions";

/** Usage with every kind of token, so each token counter has something to count. */
const USAGE = { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 3 } };

/** The URL printed as "Metrics on …" at start. */
function metricsUrlOf(server: RunningServer): string {
  const match = /Metrics on (http:\/\/[^\s"]+)/.exec(server.logs());
  if (!match) throw new Error(`No metrics listener in the logs:\n${server.logs()}`);
  return match[1]!;
}

async function scrape(url: string, token?: string): Promise<Exposition> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parseExposition(await response.text());
}

function chat(server: RunningServer, key: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}${CHAT}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe.each(await databaseProviders())("GET /metrics on %s", (provider) => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let user: Awaited<ReturnType<GatewayWorld["user"]>>;
  let limited: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    upstream = await startFakeUpstream((req) => {
      const body = req.body as { stream?: boolean };
      if (body.stream) return { kind: "sse", events: streamEvents(["Hello", " there"], { prompt_tokens: 20, completion_tokens: 4 }) };
      return { kind: "json", body: completion("Hello.", undefined, { usage: USAGE }) };
    });
    await world.channel({ name: "main", baseUrl: upstream.url, apiKey: "upstream-key", models: ["gpt-test"] });
    await world.price("gpt-test", IN, OUT, CACHED);
    // Nothing listens on port 9: every call fails, and the second failure disables the channel.
    await world.channel({ name: "dead", baseUrl: "http://127.0.0.1:9/v1", apiKey: "k", models: ["gpt-dead"] });
    await world.price("gpt-dead", IN, OUT);
    user = await world.user(100_000_000n);
    limited = await world.user(100_000_000n, { rpmLimit: 1 });
    await world.start({ METRICS_TOKEN: TOKEN, METRICS_PORT: "0", ROOTAPI_CHANNEL_FAILURE_THRESHOLD: "2" });
  });

  afterAll(async () => {
    await world.tearDown();
    await upstream?.close();
  });

  it("counts requests, tokens, cost and durations exactly as their RequestLog rows say", async () => {
    const server = world.server;
    const expectStatus = async (response: Promise<Response>, status: number) => {
      const answered = await response;
      expect(answered.status).toBe(status);
      await answered.arrayBuffer();
    };
    await expectStatus(chat(server, user.apiKey, { model: "gpt-test", messages: [{ role: "user", content: "Hi" }] }), 200);
    await expectStatus(chat(server, user.apiKey, { model: "gpt-test", messages: [{ role: "user", content: "Hi again" }] }), 200);
    await expectStatus(chat(server, user.apiKey, { model: "gpt-test", stream: true, messages: [{ role: "user", content: "Stream" }] }), 200);
    await expectStatus(chat(server, user.apiKey, { model: "sandbox-chat", stream: true, messages: [{ role: "user", content: "Sandbox" }] }), 200);
    await expectStatus(chat(server, user.apiKey, { model: "no-such-model", messages: [{ role: "user", content: "?" }] }), 404);
    await expectStatus(chat(server, "sk-not-a-key", { model: "gpt-test", messages: [{ role: "user", content: "?" }] }), 401);
    await expectStatus(chat(server, limited.apiKey, { model: "gpt-test", messages: [{ role: "user", content: "1" }] }), 200);
    await expectStatus(chat(server, limited.apiKey, { model: "gpt-test", messages: [{ role: "user", content: "2" }] }), 429);

    const rows = await eventually(async () => {
      const rows = await world.db.requestLog.findMany();
      expect(rows).toHaveLength(8);
      return rows;
    });
    const metrics = await scrape(`${server.url}/metrics`, TOKEN);

    // One series per label set; every finished request counted once.
    expect(total(metrics, "rootapi_requests_total")).toBe(rows.length);
    const ok = { endpoint: CHAT, protocol: "openai", model: "gpt-test", channel: "main", status_class: "2xx", status: "200" };
    expect(series(metrics, "rootapi_requests_total", ok)).toHaveLength(1);
    expect(total(metrics, "rootapi_requests_total", ok)).toBe(rows.filter((r) => r.model === "gpt-test" && r.status === 200).length);
    expect(total(metrics, "rootapi_requests_total", { model: "sandbox-chat", channel: "sandbox", protocol: "sandbox", status: "200" })).toBe(1);
    expect(total(metrics, "rootapi_requests_total", { model: "unknown", channel: "none", protocol: "none", status_class: "4xx", status: "404" })).toBe(1);
    expect(total(metrics, "rootapi_requests_total", { model: "none", channel: "none", status: "401" })).toBe(1);
    expect(total(metrics, "rootapi_requests_total", { model: "gpt-test", channel: "none", status: "429" })).toBe(1);
    expect(total(metrics, "rootapi_rate_limit_refusals_total", { limit: "rpm" })).toBe(1);

    // Tokens and cost by model equal the rows' sums.
    for (const model of ["gpt-test", "sandbox-chat"]) {
      const of = rows.filter((r) => r.model === model);
      const sum = (pick: (r: (typeof rows)[number]) => number | bigint) => of.reduce((s, r) => s + Number(pick(r)), 0);
      expect(total(metrics, "rootapi_tokens_total", { model, kind: "input" })).toBe(sum((r) => r.promptTokens));
      expect(total(metrics, "rootapi_tokens_total", { model, kind: "cached" })).toBe(sum((r) => r.cachedTokens));
      expect(total(metrics, "rootapi_tokens_total", { model, kind: "cache_write" })).toBe(sum((r) => r.cacheWriteTokens));
      expect(total(metrics, "rootapi_tokens_total", { model, kind: "output" })).toBe(sum((r) => r.completionTokens));
      expect(total(metrics, "rootapi_tokens_total", { model, kind: "reasoning" })).toBe(sum((r) => r.reasoningTokens));
      expect(total(metrics, "rootapi_cost_microdollars_total", { model })).toBe(sum((r) => r.cost));
    }
    // Non-trivial: cached and reasoning tokens were reported, and money was charged.
    expect(total(metrics, "rootapi_tokens_total", { model: "gpt-test", kind: "cached" })).toBe(30);
    expect(total(metrics, "rootapi_tokens_total", { model: "gpt-test", kind: "reasoning" })).toBe(9);
    expect(total(metrics, "rootapi_cost_microdollars_total", { model: "gpt-test" })).toBeGreaterThan(0);

    // Durations: one observation per request, in cumulative buckets ending at +Inf = count.
    const chat2xx = { endpoint: CHAT, status_class: "2xx" };
    expect(total(metrics, "rootapi_request_duration_seconds_count", chat2xx)).toBe(rows.filter((r) => r.status === 200).length);
    expect(total(metrics, "rootapi_request_duration_seconds_bucket", { ...chat2xx, le: "+Inf" })).toBe(total(metrics, "rootapi_request_duration_seconds_count", chat2xx));
    const buckets = series(metrics, "rootapi_request_duration_seconds_bucket", chat2xx);
    expect(buckets.map((b) => b.labels.le)).toEqual(["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "120", "+Inf"]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    const latencySum = rows.filter((r) => r.status === 200).reduce((s, r) => s + r.latencyMs / 1000, 0);
    expect(total(metrics, "rootapi_request_duration_seconds_sum", chat2xx)).toBeCloseTo(latencySum, 6);

    // One upstream answer per request that reached the channel.
    expect(total(metrics, "rootapi_upstream_ttfb_seconds_count", { channel: "main", protocol: "openai" })).toBe(upstream.received.length);
    expect(total(metrics, "rootapi_upstream_ttfb_seconds_count", { channel: "sandbox", protocol: "sandbox" })).toBe(1);

    // Gauges read at scrape time, and Node's own metrics.
    expect(total(metrics, "rootapi_streams_in_flight")).toBe(0);
    expect(series(metrics, "rootapi_settlement_queue_depth")).toHaveLength(1);
    expect(total(metrics, "rootapi_settlement_batch_seconds_count")).toBeGreaterThan(0);
    expect(series(metrics, "rootapi_funds_leases_held")).toHaveLength(1);
    expect(total(metrics, "rootapi_channel_enabled", { channel: "main", protocol: "openai" })).toBe(1);
    expect(total(metrics, "rootapi_channel_auto_disabled", { channel: "main" })).toBe(0);
    expect(total(metrics, "rootapi_channel_consecutive_failures", { channel: "main" })).toBe(0);
    expect(total(metrics, "rootapi_channel_enabled", { channel: "sandbox" })).toBe(1);
    for (const name of ["process_cpu_user_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) {
      expect(series(metrics, name), name).not.toHaveLength(0);
    }
    expect(metrics.types.get("nodejs_gc_duration_seconds")).toBe("histogram");
    expect(metrics.types.get("rootapi_requests_total")).toBe("counter");
    expect(metrics.types.get("rootapi_request_duration_seconds")).toBe("histogram");

    // The dedicated listener serves the same registry, without a token.
    const onPort = await scrape(metricsUrlOf(server));
    expect(total(onPort, "rootapi_requests_total", ok)).toBe(total(metrics, "rootapi_requests_total", ok));
  });

  it("counts a stream in flight while it is being sent", async () => {
    const response = await chat(world.server, user.apiKey, { model: "sandbox-chat", stream: true, max_tokens: 400, messages: [{ role: "user", content: "[sandbox:delay=50] Tell me a long story" }] });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    expect(total(await scrape(`${world.server.url}/metrics`, TOKEN), "rootapi_streams_in_flight")).toBe(1);
    await reader.cancel();
    await eventually(async () => expect(total(await scrape(`${world.server.url}/metrics`, TOKEN), "rootapi_streams_in_flight")).toBe(0));
  });

  it("shows a failing channel's consecutive failures, then that it was disabled automatically", async () => {
    const dead = { channel: "dead", protocol: "openai" };
    const scrapeMain = () => scrape(`${world.server.url}/metrics`, TOKEN);
    let metrics = await scrapeMain();
    expect(total(metrics, "rootapi_channel_enabled", dead)).toBe(1);
    expect(total(metrics, "rootapi_channel_consecutive_failures", dead)).toBe(0);

    const first = await chat(world.server, user.apiKey, { model: "gpt-dead", messages: [{ role: "user", content: "?" }] });
    expect(first.status).toBe(502);
    await first.arrayBuffer();
    metrics = await scrapeMain();
    expect(total(metrics, "rootapi_channel_consecutive_failures", dead)).toBe(1);
    expect(total(metrics, "rootapi_requests_total", { ...dead, model: "gpt-dead", status_class: "5xx", status: "502" })).toBe(1);

    const second = await chat(world.server, user.apiKey, { model: "gpt-dead", messages: [{ role: "user", content: "?" }] });
    expect(second.status).toBe(502);
    await second.arrayBuffer();
    await eventually(async () => {
      const metrics = await scrapeMain();
      expect(total(metrics, "rootapi_channel_auto_disabled", dead)).toBe(1);
      expect(total(metrics, "rootapi_channel_enabled", dead)).toBe(0);
    });
  });

  it("gives every model that is not in the catalog one label value", async () => {
    const before = total(await scrape(`${world.server.url}/metrics`, TOKEN), "rootapi_requests_total", { model: "unknown" });
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const response = await chat(world.server, user.apiKey, { model: `made-up-${batch}-${i}`, messages: [{ role: "user", content: "?" }] });
          expect(response.status).toBe(404);
          await response.arrayBuffer();
        }),
      );
    }
    const metrics = await scrape(`${world.server.url}/metrics`, TOKEN);
    expect(series(metrics, "rootapi_requests_total", { model: "unknown" })).toHaveLength(1);
    expect(total(metrics, "rootapi_requests_total", { model: "unknown" }) - before).toBe(100);
    expect(metrics.samples.some((s) => Object.values(s.labels).some((v) => v.startsWith("made-up-")))).toBe(false);
    // No key or user ids anywhere.
    expect(metrics.samples.some((s) => Object.values(s.labels).some((v) => v === user.keyId || v === user.user.id))).toBe(false);
  });

  it("refuses a missing or wrong token on the main port; the dedicated port answers only /metrics", async () => {
    const url = `${world.server.url}/metrics`;
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await missing.text()).not.toContain("rootapi_");
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: TOKEN } })).status).toBe(401);
    const dedicated = new URL(metricsUrlOf(world.server));
    expect(dedicated.hostname).toBe("127.0.0.1");
    expect((await fetch(new URL("/v1/models", dedicated))).status).toBe(404);
    expect((await fetch(new URL("/", dedicated))).status).toBe(404);
  });

  it("is not served on the main port without METRICS_TOKEN; counts /v1 answered by Next's bundle and Redis errors", async () => {
    // Next's bundled route handler loads the gateway (and the metrics module) a second time: it must
    // record into the registry the server serves. Nothing listens on port 9: every Redis call of the
    // rate limiter fails (and the request is admitted).
    const other = await startServer(world.url, { METRICS_PORT: "0", REDIS_URL: "redis://127.0.0.1:9", ROOTAPI_V1_VIA_NEXT: "1" });
    try {
      const response = await fetch(`${other.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("rootapi_");
      const answered = await chat(other, limited.apiKey, { model: "sandbox-chat", messages: [{ role: "user", content: "hi" }] });
      expect(answered.status).toBe(200);
      await answered.arrayBuffer();
      const metrics = await scrape(metricsUrlOf(other));
      expect(total(metrics, "rootapi_redis_errors_total")).toBeGreaterThan(0);
      expect(total(metrics, "rootapi_requests_total", { model: "sandbox-chat", status: "200" })).toBe(1);
    } finally {
      await other.stop();
    }
  });
});
