import { describe, expect, it } from "vitest";
import { ChannelHealth, retryAfterSeconds } from "@/lib/gateway/routing/channel-health";
import { MemoryRateLimiter } from "@/lib/gateway/limits/rate-limit";
import { promptTokensUpperBound } from "@/lib/gateway/pipeline/steps";
import { countTokens, loadTokenizer, TOKENS_PER_FILE, TOKENS_PER_IMAGE } from "@/lib/gateway/pipeline/tokens";
import { parseJsonBody } from "@/lib/gateway/pipeline/validate";
import { jsonShapeProblem, scanJsonShape } from "@/lib/http/json-guard";
import { hasMalformedPath, portalBodyRefusal } from "@/lib/http/request-guards";
import type { HotStore } from "@/lib/gateway/store";

const enc = new TextEncoder();

describe("JSON shape guard", () => {
  it("refuses deep nesting and value floods before parsing, in microseconds", () => {
    const nested = enc.encode(`{"x":${"[".repeat(5_000_000)}`);
    const started = performance.now();
    expect(jsonShapeProblem(nested)).toEqual({ kind: "depth", limit: 64 });
    expect(performance.now() - started).toBeLessThan(20);
    expect(jsonShapeProblem(enc.encode(`[${"0,".repeat(1_000_001)}0]`))).toEqual({ kind: "values", limit: 1_000_000 });
  });

  it("ignores brackets, commas and escaped quotes inside strings", () => {
    const body = enc.encode(JSON.stringify({ content: `${"[".repeat(500)} \\" ${",".repeat(2_000_000)}`, ok: [[[1]]] }));
    expect(jsonShapeProblem(body)).toBeNull();
    expect(jsonShapeProblem(enc.encode(`{"a":"\\\\"${"[".repeat(100)}`))).toEqual({ kind: "depth", limit: 64 });
  });

  it("scans in slices with the same verdict", async () => {
    const deepLate = enc.encode(`{"pad":"${"x".repeat(3_000_000)}","y":${"[".repeat(100)}`);
    expect(await scanJsonShape(deepLate)).toEqual({ kind: "depth", limit: 64 });
    // A string spanning slice borders, with an escaped quote right at one.
    const text = `${"y".repeat((1 << 20) - 9)}\\"[[[[`;
    expect(await scanJsonShape(enc.encode(JSON.stringify({ text, n: [[1]] })))).toBeNull();
  });

  it("parses large bodies on a worker, with the same errors", async () => {
    const content = "word ".repeat(400_000);
    expect(await parseJsonBody(enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content }] })))).toEqual({ model: "m", messages: [{ role: "user", content }] });
    await expect(parseJsonBody(enc.encode(`{"a":"${"x".repeat(2_000_000)}"`))).rejects.toThrow(/could not parse the JSON body/);
    await expect(parseJsonBody(enc.encode(`[${"1,".repeat(600_000)}1]`))).rejects.toThrow(/must be a JSON object/);
    await expect(parseJsonBody(enc.encode(`{"x":${"[".repeat(2_000_000)}`))).rejects.toMatchObject({ status: 400, code: "json_too_complex" });
  });
});

describe("portal body limit", () => {
  const req = (headers: Record<string, string>) => ({ method: "POST", headers });
  it("refuses declared lengths past the limit and bodies of unknown length", () => {
    expect(portalBodyRefusal(req({ "content-length": "100" }), 1024)).toBeNull();
    expect(portalBodyRefusal(req({ "content-length": "2048" }), 1024)).toMatchObject({ status: 413 });
    expect(portalBodyRefusal(req({ "content-length": "-1" }), 1024)).toMatchObject({ status: 413 });
    expect(portalBodyRefusal(req({ "transfer-encoding": "chunked" }), 1024)).toMatchObject({ status: 411 });
    expect(portalBodyRefusal(req({}), 1024)).toBeNull();
  });

  it("spots percent-encoding that does not decode, in the path only", () => {
    for (const bad of ["/api/keys/%", "/api/keys/%zz", "/api/admin/users/%E0%A4%A", "/x/%C0%AF"]) expect(hasMalformedPath(bad), bad).toBe(true);
    for (const good of ["/api/keys/abc", "/docs/%E4%B8%AD", "/api/keys?q=%", "/"]) expect(hasMalformedPath(good), good).toBe(false);
  });
});

describe("bounded token counting", () => {
  it("counts ordinary text exactly", () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    expect(countTokens(text)).toBe(loadTokenizer().encode(text).length);
  });

  it("counts a long run without whitespace in bounded time, close to the exact count", () => {
    countTokens("warm up");
    const run = "ab1".repeat(5_000);
    const started = performance.now();
    const counted = countTokens(run);
    expect(performance.now() - started).toBeLessThan(200);
    const exact = loadTokenizer().encode(run).length;
    expect(Math.abs(counted - exact) / exact).toBeLessThan(0.2);
  });

  it("estimates multi-megabyte text from samples, in bounded time", () => {
    const text = "lorem ipsum dolor sit amet, ".repeat(700_000);
    const started = performance.now();
    const estimate = countTokens(text);
    expect(performance.now() - started).toBeLessThan(200);
    const exactPerRepeat = loadTokenizer().encode("lorem ipsum dolor sit amet, ".repeat(1000)).length / 1000;
    expect(Math.abs(estimate - exactPerRepeat * 700_000) / (exactPerRepeat * 700_000)).toBeLessThan(0.05);
    expect(countTokens("a".repeat(19 * 1024 * 1024))).toBeGreaterThan(0);
  });
});

describe("reservation bound", () => {
  it("adds an allowance for every image and file part, in any protocol's shape, wherever it sits", () => {
    const chat = { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "u" } }, { type: "file", file: { file_id: "f" } }] }] };
    expect(promptTokensUpperBound(100, chat)).toBe(100 + TOKENS_PER_IMAGE + TOKENS_PER_FILE);
    const responses = { input: [{ role: "user", content: Array.from({ length: 3 }, () => ({ type: "input_image", image_url: "u" })) }, { type: "function_call_output", output: [{ type: "input_file", file_id: "f" }] }] };
    expect(promptTokensUpperBound(10, responses)).toBe(10 + 3 * TOKENS_PER_IMAGE + TOKENS_PER_FILE);
    expect(promptTokensUpperBound(10, { messages: [] }, [{ content: [{ type: "input_image" }] }])).toBe(10 + TOKENS_PER_IMAGE);
  });
});

describe("TPM admission by the token bound", () => {
  it("refuses a request that would take the window past the limit, and corrects to the tokens used", () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_700_000_000_000;
    expect(limiter.admit("k", { rpm: null, tpm: 1000, tokens: 600 }, t0).ok).toBe(true);
    expect(limiter.admit("k", { rpm: null, tpm: 1000, tokens: 600 }, t0 + 10)).toMatchObject({ ok: false, kind: "tokens" });
    // The first request used 100 of its 600: the window holds 100, so 600 more fit.
    limiter.recordTokens("k", 100 - 600, t0 + 2_000, t0);
    expect(limiter.admit("k", { rpm: null, tpm: 1000, tokens: 600 }, t0 + 2_010).ok).toBe(true);
  });

  it("admits one oversized request into an empty window, then none until it clears", () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_700_000_000_000;
    expect(limiter.admit("k", { rpm: null, tpm: 100, tokens: 4_000 }, t0).ok).toBe(true);
    const refused = limiter.admit("k", { rpm: null, tpm: 100, tokens: 4_000 }, t0 + 1_000);
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 59 });
    expect(limiter.admit("k", { rpm: null, tpm: 100, tokens: 4_000 }, t0 + 60_000).ok).toBe(true);
  });

  it("ignores a correction for a second that already left the window", () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_700_000_000_000;
    limiter.admit("k", { rpm: null, tpm: 1000, tokens: 900 }, t0);
    limiter.admit("k", { rpm: null, tpm: 1000, tokens: 900 }, t0 + 61_000);
    limiter.recordTokens("k", -900, t0 + 61_500, t0);
    expect(limiter.admit("k", { rpm: null, tpm: 1000, tokens: 900 }, t0 + 61_600).ok).toBe(false);
  });
});

describe("channel cool-down", () => {
  const store = (() => ({ updateChannelHealth: async () => {} })) as unknown as () => HotStore;
  it("rests a 429ing channel for its retry-after, capped, without counting a failure", () => {
    const health = new ChannelHealth(store, { failureThreshold: 1 });
    const now = 1_000_000;
    health.coolDown("c", 3, now);
    expect(health.coolingFor("c", now + 1_000)).toBe(2_000);
    expect(health.coolingFor("c", now + 3_000)).toBe(0);
    health.coolDown("c", 3_600, now);
    expect(health.coolingFor("c", now)).toBe(60_000);
    health.coolDown("d", Number.NaN, now);
    expect(health.coolingFor("d", now)).toBe(1_000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(retryAfterSeconds("7", now)).toBe(7);
    expect(retryAfterSeconds("Fri, 04 Dec 2026 12:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("soon", now)).toBeNaN();
    expect(retryAfterSeconds(null, now)).toBeNaN();
  });
});
