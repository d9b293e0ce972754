import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { logLines, type LogLine } from "../helpers/log-lines";
import { ROOT, stopChild, testEnv } from "../helpers/server";
import { freePort } from "../helpers/free-port";

/**
 * Structured logs of the real server: one JSON line per /v1 request matching its RequestLog row,
 * operational events, LOG_LEVEL, and no secret in any line.
 */
const UPSTREAM_KEY = "sk-upstream-secret-0123456789abcdef";

describe.each(await databaseProviders())("structured logs on %s", (provider) => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let failing: FakeUpstream;
  let failingHealthy = false;
  let caller: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    upstream = await startFakeUpstream((req) =>
      (req.body as { stream?: boolean }).stream
        ? { kind: "sse", events: streamEvents(["Hi", " there"], { prompt_tokens: 9, completion_tokens: 2 }) }
        : { kind: "json", body: completion("Hello.", { prompt_tokens: 20, completion_tokens: 4 }) },
    );
    failing = await startFakeUpstream(() => (failingHealthy ? { kind: "json", body: completion("back") } : { kind: "json", status: 500, body: { error: { message: "exploded" } } }));
    await world.channel({ name: "main", baseUrl: upstream.url, apiKey: UPSTREAM_KEY, models: ["log-model"], modelMapping: { "log-model": "upstream-log-model" } });
    await world.channel({ name: "failing", baseUrl: failing.url, apiKey: UPSTREAM_KEY, models: ["failing-model"] });
    await world.price("log-model", 2_000_000n, 8_000_000n);
    await world.price("failing-model", 2_000_000n, 8_000_000n);
    caller = await world.user(100_000_000n);
    await world.start({ ROOTAPI_CHANNEL_FAILURE_THRESHOLD: "2", ROOTAPI_CHANNEL_RETEST_SECONDS: "1" });
  }, 120_000);

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([upstream, failing].map((u) => u?.close()));
  });

  const chat = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${world.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${caller.apiKey}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  const lineOf = (requestId: string) => eventually(async () => {
    const line = logLines(world.server.logs()).find((l) => l.event === "request" && l.requestId === requestId);
    if (!line) throw new Error(`no log line for ${requestId}`);
    return line;
  });

  it("writes one line per request with the fields of its RequestLog row", async () => {
    const response = await chat({ model: "log-model", messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id")!;
    const row = await world.logOf(requestId);
    const line = await lineOf(requestId);
    expect(line).toMatchObject({
      level: 30,
      component: "gateway",
      msg: "/v1/chat/completions 200",
      requestId,
      keyId: caller.keyId,
      userId: caller.user.id,
      endpoint: "/v1/chat/completions",
      model: "log-model",
      upstreamModel: "upstream-log-model",
      channelId: row.channelId,
      status: 200,
      attempts: 1,
      stream: false,
      tokens: { prompt: 20, cached: 0, cacheWrite: 0, cacheWrite1h: 0, completion: 4, reasoning: 0 },
      cost: Number(row.cost),
      latencyMs: row.latencyMs,
      ttfbMs: row.ttfbMs,
      errorCode: null,
    });
    expect(row.cost).toBe(72n); // 20 × $2/1M + 4 × $8/1M
    expect(logLines(world.server.logs()).filter((l) => l.requestId === requestId && l.event === "request")).toHaveLength(1);
  });

  it("logs a stream once it is settled, and a refused request at warn with its error code", async () => {
    const streamed = await chat({ model: "log-model", stream: true, messages: [{ role: "user", content: "hi" }] });
    await streamed.text();
    const streamedId = streamed.headers.get("x-request-id")!;
    expect(await lineOf(streamedId)).toMatchObject({ level: 30, stream: true, status: 200, tokens: { prompt: 9, completion: 2 } });

    const unknown = await chat({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] });
    expect(unknown.status).toBe(404);
    const unknownId = unknown.headers.get("x-request-id")!;
    const row = await world.logOf(unknownId);
    expect(await lineOf(unknownId)).toMatchObject({ level: 40, status: 404, errorCode: row.errorCode, keyId: caller.keyId, channelId: null, attempts: 0 });
  });

  it("logs a channel disabled automatically after failures, and re-enabled once it answers", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await chat({ model: "failing-model", messages: [{ role: "user", content: "hi" }] });
      expect(response.status).toBe(502);
      expect(await lineOf(response.headers.get("x-request-id")!)).toMatchObject({ level: 50, status: 502, attempts: 1 });
    }
    const channel = await world.db.channel.findFirstOrThrow({ where: { name: "failing" } });
    const disabled = await eventually(async () => {
      const line = logLines(world.server.logs()).find((l) => l.event === "channel.auto_disabled");
      if (!line) throw new Error("no channel.auto_disabled line");
      return line;
    });
    expect(disabled).toMatchObject({ level: 40, component: "routing", channelId: channel.id, failures: 2 });
    expect(String(disabled.reason)).toContain("HTTP 500");

    failingHealthy = true;
    const reenabled = await eventually(async () => {
      const line = logLines(world.server.logs()).find((l) => l.event === "channel.reenabled");
      if (!line) throw new Error("no channel.reenabled line");
      return line;
    }, 10_000);
    expect(reenabled).toMatchObject({ level: 30, channelId: channel.id, channel: "failing" });
  }, 30_000);

  it("never writes an API key or an upstream key, whichever header carried it", async () => {
    await chat({ model: "log-model", messages: [{ role: "user", content: "hi" }] });
    // The key in x-api-key on the Messages API, and a wrong key that is refused.
    const messages = await fetch(`${world.server.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": caller.apiKey, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "log-model", max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(messages.status).toBe(200);
    const wrongKey = `${caller.apiKey.slice(0, -4)}zzzz`;
    const refused = await fetch(`${world.server.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${wrongKey}`, "content-type": "application/json" }, body: "{}" });
    expect(refused.status).toBe(401);
    await lineOf(refused.headers.get("x-request-id")!);
    await lineOf(messages.headers.get("request-id") ?? messages.headers.get("x-request-id")!);

    const output = world.server.logs();
    expect(output).not.toContain(caller.apiKey);
    expect(output).not.toContain(wrongKey);
    expect(output).not.toContain(caller.apiKey.slice(-12));
    expect(output).not.toContain(UPSTREAM_KEY);
    expect(logLines(output).filter((l) => l.event === "request").length).toBeGreaterThanOrEqual(4);
  });
});

describe("LOG_LEVEL", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;
  let output = "";
  let stop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("Hello.") }));
    await world.channel({ name: "main", baseUrl: upstream.url, apiKey: "k", models: ["quiet-model"] });
    await world.price("quiet-model", 2_000_000n, 8_000_000n);
  }, 60_000);

  afterAll(async () => {
    await stop();
    await world.tearDown();
    await upstream?.close();
  });

  it("warn keeps warnings and errors and drops info lines (the ready line and 2xx requests included)", async () => {
    // Its ready line is an info line: the server is found on a port chosen here instead.
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "rootapi-data-"));
    const env = testEnv(world.url, dataDir, { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" });
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["server/index.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    stop = async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    };
    const url = `http://127.0.0.1:${port}`;
    const { apiKey } = await world.user(10_000_000n);
    const call = (model: string) =>
      fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }) });
    const ok = await eventually(() => call("quiet-model"), 60_000, 250);
    expect(ok.status).toBe(200);
    const missing = await call("missing-model");
    expect(missing.status).toBe(404);
    const missingId = missing.headers.get("x-request-id")!;
    const warned = await eventually(async () => {
      const line = logLines(output).find((l) => l.requestId === missingId);
      if (!line) throw new Error("no warn line");
      return line;
    });
    expect(warned.level).toBe(40);
    const lines: LogLine[] = logLines(output);
    expect(lines.filter((l) => l.level < 40), output).toEqual([]);
    expect(output).not.toContain("ready on");
    expect(lines.some((l) => l.requestId === ok.headers.get("x-request-id"))).toBe(false);
  }, 90_000);
});

