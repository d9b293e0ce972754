import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayWorld } from "../helpers/gateway-world";
import { ROOT } from "../helpers/server";

/**
 * No request may stall everyone: hostile bodies — 20 MB of nested JSON (to /v1 with a $0 key and
 * to sign-up, which needs no account), a 19 MB prompt to the free sandbox, a 100 MB portal body —
 * fired four at a time while another process measures GET /v1/models. Before the fix, nesting
 * blocked the event loop ~5 s per request and took RSS to 2.5 GB.
 */
const MB = 1024 * 1024;

/** Latencies of GET /v1/models, measured from a separate process so the test's own work does not count. */
function measureModels(url: string, apiKey: string, durationMs: number): Promise<number[]> {
  const script = `
    const http = require("node:http");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const latencies = [];
    const end = Date.now() + ${durationMs};
    const once = () => new Promise((resolve, reject) => {
      const started = performance.now();
      http.get(${JSON.stringify(`${url}/v1/models`)}, { agent, headers: { authorization: ${JSON.stringify(`Bearer ${apiKey}`)} } }, (res) => {
        res.resume();
        res.on("end", () => { if (res.statusCode !== 200) reject(new Error("status " + res.statusCode)); else resolve(performance.now() - started); });
      }).on("error", reject);
    });
    (async () => {
      while (Date.now() < end) {
        latencies.push(await once());
        await new Promise((r) => setTimeout(r, 5));
      }
      process.stdout.write(JSON.stringify(latencies));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`pinger exited with ${code}`))));
  });
}

/** Sends a body with a raw request (no client-side JSON work) and returns the status. */
function post(url: string, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", "content-length": String(body.length), ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    // The server may answer (413) and close before reading everything.
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? resolve(-1) : reject(error)));
    req.end(body);
  });
}

/** Declares a huge body, sends 1 MB of it, and returns the status the server answers with. */
function postDeclaredHuge(url: string, path: string, declared: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", "content-length": String(declared) } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
      req.destroy();
    });
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    req.write(Buffer.alloc(MB, 0x20));
  });
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe("hostile bodies do not stall the server", () => {
  const world = new GatewayWorld();
  let key: string;

  beforeAll(async () => {
    // The compiled server: its process is the server itself, so its RSS is what is measured.
    const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    await world.setUp("sqlite");
    key = (await world.user(0n)).apiKey;
    await world.start({}, { compiled: true });
  });

  afterAll(() => world.tearDown());

  it("keeps /v1/models p99 under 50 ms and RSS bounded while hostile bodies arrive four at a time", async () => {
    const url = world.server.url;
    // Just under /v1's 20 MB limit, so it is read and must be refused by looking at it.
    const nested = Buffer.from(`{"model":"sandbox-chat","messages":${"[".repeat(20 * MB - 64)}`);
    const nestedSmall = Buffer.from(`{"email":${"[".repeat(900 * 1024)}`);
    const prompt = Buffer.from(JSON.stringify({ model: "sandbox-chat", messages: [{ role: "user", content: "lorem ipsum dolor ".repeat((19 * MB) / 18) }] }));
    const runOfLetters = Buffer.from(JSON.stringify({ model: "sandbox-chat", messages: [{ role: "user", content: "a".repeat(5 * MB) }] }));
    const auth = { authorization: `Bearer ${key}` };
    // Before measuring: the portal (Next loads on its first request) and the tokenizer (its ~60 MB
    // of tables load on first use, once per process) are warmed up — one-time costs, not per request.
    expect(await post(url, "/api/signup", Buffer.from("{}"))).toBe(400);
    expect(await post(url, "/v1/chat/completions", Buffer.from(JSON.stringify({ model: "sandbox-chat", messages: [{ role: "user", content: "hi" }] })), auth)).toBe(200);

    const baseline = rssMb(world.server.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(world.server.pid))), 50);
    const measuring = measureModels(url, key, 6_000);
    await new Promise((r) => setTimeout(r, 300));

    const four = <T>(send: () => Promise<T>) => Promise.all(Array.from({ length: 4 }, send));
    const statuses = {
      nestedV1: await four(() => post(url, "/v1/chat/completions", nested, auth)),
      nestedSignup: await four(() => post(url, "/api/signup", nested)),
      nestedSignupUnderLimit: await four(() => post(url, "/api/signup", nestedSmall)),
      hugePortal: await four(() => postDeclaredHuge(url, "/api/signup", 100 * MB)),
      sandboxPrompt: await four(() => post(url, "/v1/chat/completions", prompt, auth)),
      sandboxRun: await four(() => post(url, "/v1/chat/completions", runOfLetters, auth)),
    };
    const latencies = await measuring;
    clearInterval(sampler);

    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`/v1/models under hostile load: ${latencies.length} calls, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB`, statuses);
    expect(statuses.nestedV1).toEqual([400, 400, 400, 400]);
    expect(statuses.nestedSignup.every((s) => s === 413 || s === -1)).toBe(true);
    expect(statuses.nestedSignupUnderLimit).toEqual([400, 400, 400, 400]);
    expect(statuses.hugePortal).toEqual([413, 413, 413, 413]);
    expect(statuses.sandboxPrompt).toEqual([200, 200, 200, 200]);
    expect(statuses.sandboxRun).toEqual([200, 200, 200, 200]);

    expect(latencies.length).toBeGreaterThan(100);
    expect(p99).toBeLessThan(50);
    expect(peak).toBeLessThan(1024);
  });
});
