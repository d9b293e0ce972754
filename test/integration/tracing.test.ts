import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completion, startFakeUpstream, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import { startFakeCollector, SPAN_KIND, STATUS_ERROR, type CollectedSpan } from "../helpers/fake-otlp-collector";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { ROOT } from "../helpers/server";
import { logLines } from "../helpers/log-lines";

/**
 * OpenTelemetry traces of the real server, exported to a local OTLP/HTTP collector: a server span
 * per /v1 request, a client span per upstream attempt, the GenAI attributes, W3C trace context in
 * and out — and, with OTEL_EXPORTER_OTLP_ENDPOINT unset, no OpenTelemetry code loaded at all.
 */
const upstreamHandler: Handler = (req) =>
  req.path.endsWith("/embeddings")
    ? { kind: "json", body: { object: "list", data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }], model: "upstream-emb", usage: { prompt_tokens: 3, total_tokens: 3 } } }
    : { kind: "json", body: completion("Hello.", { prompt_tokens: 20, completion_tokens: 4 }) };

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

/** Modules each process of a server loaded (reported by test/helpers/report-modules.cjs). */
function loadedModules(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .flatMap((file) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as string[]);
}

/** Once the server's report lists the gateway's own code (so it is the server's, and current). */
const serverModules = (dir: string) =>
  eventually(async () => {
    const loaded = loadedModules(dir);
    if (!loaded.some((file) => file.endsWith(path.join("lib", "gateway", "pipeline", "settle.ts")))) throw new Error("no report from the server yet");
    return loaded;
  }, 10_000);

function withModuleReport() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rootapi-modules-"));
  const preload = path.join(ROOT, "test", "helpers", "report-modules.cjs");
  return { dir, env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require=${preload}`.trim(), ROOTAPI_TEST_MODULES_DIR: dir } };
}

describe("tracing with OTEL_EXPORTER_OTLP_ENDPOINT set", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let broken: FakeUpstream;
  let collector: Awaited<ReturnType<typeof startFakeCollector>>;
  let caller: Awaited<ReturnType<GatewayWorld["user"]>>;
  const modules = withModuleReport();

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream(upstreamHandler);
    broken = await startFakeUpstream(() => ({ kind: "json", status: 503, body: { error: { message: "overloaded" } } }));
    collector = await startFakeCollector();
    await world.channel({ name: "main", baseUrl: upstream.url, apiKey: "k", models: ["traced-model", "failover-model", "traced-emb"], modelMapping: { "traced-model": "upstream-traced" }, priority: 0 });
    await world.channel({ name: "broken", baseUrl: broken.url, apiKey: "k", models: ["failover-model"], priority: 10 });
    for (const model of ["traced-model", "failover-model", "traced-emb"]) await world.price(model, 2_000_000n, 8_000_000n);
    caller = await world.user(100_000_000n);
    await world.start({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: "rootapi-test", OTEL_BSP_SCHEDULE_DELAY: "2000", ...modules.env });
  }, 120_000);

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([upstream, broken, collector].map((u) => u?.close()));
    rmSync(modules.dir, { recursive: true, force: true });
  });

  const call = (endpoint: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${world.server.url}${endpoint}`, {
      method: "POST",
      headers: { authorization: `Bearer ${caller.apiKey}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  const spansOf = (traceId: string, count: number) =>
    eventually(async () => {
      const spans = collector.spans.filter((span) => span.traceId === traceId);
      if (spans.length < count) throw new Error(`${spans.length} of ${count} spans of ${traceId} exported\n${world.server.logs().slice(-4000)}`);
      return spans;
    }, 10_000);

  it("exports a server span per request and a client span per attempt, continuing the client's trace", async () => {
    const clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const clientSpan = "00f067aa0ba902b7";
    const response = await call("/v1/chat/completions", { model: "traced-model", messages: [{ role: "user", content: "hi" }] }, { traceparent: `00-${clientTrace}-${clientSpan}-01` });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id")!;

    const spans = await spansOf(clientTrace, 2);
    const server = spans.find((span) => span.kind === SPAN_KIND.SERVER)!;
    const attempt = spans.find((span) => span.kind === SPAN_KIND.CLIENT)!;
    expect(server).toMatchObject({
      name: "chat traced-model",
      parentSpanId: clientSpan,
      resource: { "service.name": "rootapi-test" },
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "traced-model",
        "gen_ai.response.model": "upstream-traced",
        "gen_ai.provider.name": "openai",
        "gen_ai.usage.input_tokens": 20,
        "gen_ai.usage.output_tokens": 4,
        "http.response.status_code": 200,
        "rootapi.request_id": requestId,
        "rootapi.attempts": 1,
      },
    });
    expect(attempt).toMatchObject({
      name: "chat upstream-traced",
      parentSpanId: server.spanId,
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "upstream-traced", "http.response.status_code": 200, "server.address": "127.0.0.1", "rootapi.attempt": 1 },
    });
    expect(collector.contentTypes[0]).toContain("application/json");

    // The upstream got the attempt's context: same trace, the attempt span as parent.
    const received = upstream.received.at(-1)!;
    const [, traceId, parentId] = TRACEPARENT.exec(String(received.headers.traceparent))!;
    expect(traceId).toBe(clientTrace);
    expect(parentId).toBe(attempt.spanId);
  });

  it("starts a new trace without an incoming traceparent, with one client span per failed-over attempt", async () => {
    const before = upstream.received.length;
    const response = await call("/v1/chat/completions", { model: "failover-model", messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(200);
    const [, traceId] = TRACEPARENT.exec(String(upstream.received[before]!.headers.traceparent))!;
    const spans = await spansOf(traceId!, 3);
    const server = spans.find((span) => span.kind === SPAN_KIND.SERVER)!;
    expect(server.parentSpanId).toBeUndefined();
    expect(server.attributes).toMatchObject({ "rootapi.attempts": 2, "http.response.status_code": 200 });
    const attempts = spans.filter((span) => span.kind === SPAN_KIND.CLIENT).sort((a, b) => Number(a.attributes["rootapi.attempt"]) - Number(b.attributes["rootapi.attempt"]));
    expect(attempts.map((span) => span.parentSpanId)).toEqual([server.spanId, server.spanId]);
    expect(attempts[0]).toMatchObject({ statusCode: STATUS_ERROR, attributes: { "http.response.status_code": 503, "error.type": "503" } });
    expect(attempts[1]).toMatchObject({ attributes: { "http.response.status_code": 200 } });
    expect(attempts[1]!.statusCode).not.toBe(STATUS_ERROR);
    // The broken channel was sent the first attempt's context.
    expect(TRACEPARENT.exec(String(broken.received.at(-1)!.headers.traceparent))![2]).toBe(attempts[0]!.spanId);
  });

  it("names embeddings spans by their operation, and marks a failed request's span", async () => {
    const embedded = await call("/v1/embeddings", { model: "traced-emb", input: "hello" });
    expect(embedded.status).toBe(200);
    const requestId = embedded.headers.get("x-request-id")!;
    const server = await eventually(async () => {
      const span = collector.spans.find((s: CollectedSpan) => s.attributes["rootapi.request_id"] === requestId);
      if (!span) throw new Error("not exported yet");
      return span;
    }, 10_000);
    expect(server).toMatchObject({ name: "embeddings traced-emb", attributes: { "gen_ai.operation.name": "embeddings", "gen_ai.usage.input_tokens": 3 } });

    const unknown = await call("/v1/chat/completions", { model: "no-such-model", messages: [{ role: "user", content: "hi" }] });
    expect(unknown.status).toBe(404);
    const unknownId = unknown.headers.get("x-request-id")!;
    const refused = await eventually(async () => {
      const span = collector.spans.find((s) => s.attributes["rootapi.request_id"] === unknownId);
      if (!span) throw new Error("not exported yet");
      return span;
    }, 10_000);
    // A 4xx is the caller's: recorded, not an error of the server span.
    expect(refused).toMatchObject({ name: "chat no-such-model", attributes: { "http.response.status_code": 404, "error.type": "model_not_found" } });
    expect(refused.statusCode).not.toBe(STATUS_ERROR);
  });

  it("loads the OpenTelemetry SDK (the control for the test below), and exports what is buffered at shutdown", async () => {
    const response = await call("/v1/chat/completions", { model: "traced-model", messages: [{ role: "user", content: "last" }] });
    const requestId = response.headers.get("x-request-id")!;
    // Spans are exported every 2 s here: this one only leaves because shutdown flushes.
    const stopping = Date.now();
    await world.server.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(collector.spans.some((span) => span.attributes["rootapi.request_id"] === requestId)).toBe(true);
    expect((await serverModules(modules.dir)).some((file) => file.includes("@opentelemetry/sdk-trace"))).toBe(true);
    // The last log lines, written asynchronously, were flushed before the process exited.
    expect(logLines(world.server.logs()).at(-1)).toMatchObject({ event: "server.stopped" });
  });
});

describe("tracing with OTEL_EXPORTER_OTLP_ENDPOINT unset", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  const modules = withModuleReport();

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream(upstreamHandler);
    await world.channel({ name: "main", baseUrl: upstream.url, apiKey: "k", models: ["plain-model"] });
    await world.price("plain-model", 2_000_000n, 8_000_000n);
    await world.start({ OTEL_EXPORTER_OTLP_ENDPOINT: "", ...modules.env });
  }, 120_000);

  afterAll(async () => {
    await world.tearDown();
    await upstream?.close();
    rmSync(modules.dir, { recursive: true, force: true });
  });

  it("sends no trace context upstream, even when the client sent one, and loads no OpenTelemetry code", async () => {
    const { apiKey } = await world.user(10_000_000n);
    const response = await fetch(`${world.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
      body: JSON.stringify({ model: "plain-model", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    expect(upstream.received.at(-1)!.headers.traceparent).toBeUndefined();
    // Reports are rewritten every 200 ms: wait for one taken after the request was answered.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const loaded = await serverModules(modules.dir);
    // Next.js loads the API package by itself when it is installed (a no-op facade without an SDK);
    // the SDK, the exporter and our tracer are what tracing would add.
    expect(loaded.filter((file) => (file.includes("@opentelemetry") && !file.includes("@opentelemetry/api/")) || file.includes("otel-tracer"))).toEqual([]);
  });
});
