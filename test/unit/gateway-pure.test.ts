import { describe, expect, it } from "vitest";
import { costOf, maxCostOf } from "@/lib/billing/pricing";
import { MemoryRateLimiter, WindowCounter } from "@/lib/gateway/limits/rate-limit";
import { orderChannels } from "@/lib/gateway/routing/order";
import { SseSplitter, sseData } from "@/lib/gateway/http/sse";
import { StreamMeter, meterCompletion } from "@/lib/gateway/pipeline/meter";
import { validate, parseJsonBody } from "@/lib/gateway/pipeline/validate";
import { chatCompletionRequestSchema } from "@/lib/schemas/chat-completions";
import { GatewayError } from "@/lib/gateway/pipeline/errors";
import { TtlCache } from "@/lib/gateway/ttl-cache";
import { bearerToken } from "@/lib/gateway/pipeline/authenticate";
import { promptTokensUpperBound } from "@/lib/gateway/pipeline/steps";
import { countTokens } from "@/lib/gateway/pipeline/tokens";
import { relayedError } from "@/lib/gateway/http/upstream-body";

const enc = new TextEncoder();

describe("pricing", () => {
  const price = { inputPrice: 2_500_000n, outputPrice: 10_000_000n, cachedInputPrice: 1_250_000n, cacheWritePrice: null, cacheWrite1hPrice: null };

  it("bills uncached, cached and output tokens exactly, rounding up once per request", () => {
    // 1000 × 2.5 + 0 + 500 × 10 = 7500 µ$
    expect(costOf({ promptTokens: 1000, cachedTokens: 0, completionTokens: 500, reasoningTokens: 0 }, price)).toBe(7_500n);
    // 600 uncached × 2.5 + 400 cached × 1.25 + 500 × 10 = 1500 + 500 + 5000
    expect(costOf({ promptTokens: 1000, cachedTokens: 400, completionTokens: 500, reasoningTokens: 100 }, price)).toBe(7_000n);
    // 1 token × $2.50/1M = 2.5 µ$ → 3 µ$
    expect(costOf({ promptTokens: 1, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 }, price)).toBe(3n);
    expect(costOf({ promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 }, price)).toBe(0n);
  });

  it("charges cached tokens at the input price when no cached price is set", () => {
    const noCache = { ...price, cachedInputPrice: null };
    expect(costOf({ promptTokens: 1000, cachedTokens: 400, completionTokens: 0, reasoningTokens: 0 }, noCache)).toBe(2_500n);
  });

  it("bounds the most a request can cost", () => {
    expect(maxCostOf(100, 50, price)).toBe(750n);
  });
});

describe("rate limits", () => {
  it("admits up to the RPM limit per rolling minute and says when to retry", () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_000_000_000;
    expect(limiter.admit("k", { rpm: 2, tpm: null }, t0).ok).toBe(true);
    expect(limiter.admit("k", { rpm: 2, tpm: null }, t0 + 10_000).ok).toBe(true);
    const refused = limiter.admit("k", { rpm: 2, tpm: null }, t0 + 20_000);
    expect(refused).toMatchObject({ ok: false, kind: "requests", limit: 2 });
    expect(refused.ok === false && refused.retryAfterSeconds).toBe(40);
    expect(limiter.admit("k", { rpm: 2, tpm: null }, t0 + 60_500).ok).toBe(true);
    expect(limiter.admit("other", { rpm: 2, tpm: null }, t0 + 20_000).ok).toBe(true);
  });

  it("refuses once the TPM window is used up", () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 2_000_000_000;
    expect(limiter.admit("k", { rpm: null, tpm: 1000 }, t0).ok).toBe(true);
    limiter.recordTokens("k", 1200, t0);
    expect(limiter.admit("k", { rpm: null, tpm: 1000 }, t0 + 1000)).toMatchObject({ ok: false, kind: "tokens" });
    expect(limiter.admit("k", { rpm: null, tpm: 1000 }, t0 + 61_000).ok).toBe(true);
  });

  it("counts a sliding window of one-second buckets", () => {
    const counter = new WindowCounter();
    counter.add(5, 0);
    counter.add(3, 30_000);
    expect(counter.total(59_999)).toBe(8);
    expect(counter.total(60_000)).toBe(3);
    expect(counter.total(90_000)).toBe(0);
  });
});

describe("routing", () => {
  it("tries higher priorities first and splits by weight within one", () => {
    const channels = [
      { id: "low", priority: 0, weight: 1 },
      { id: "a", priority: 5, weight: 3 },
      { id: "b", priority: 5, weight: 1 },
    ];
    const firsts = { a: 0, b: 0 } as Record<string, number>;
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 4000; i++) {
      const order = orderChannels(channels, random);
      expect(order.at(-1)!.id).toBe("low");
      firsts[order[0]!.id]!++;
    }
    expect(firsts.a! / 4000).toBeGreaterThan(0.7);
    expect(firsts.a! / 4000).toBeLessThan(0.8);
  });
});

describe("SSE splitting", () => {
  it("finds whole events across arbitrary chunk boundaries, LF and CRLF", () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\n: comment\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const splitter = new SseSplitter();
      const events = [...splitter.push(enc.encode(text.slice(0, cut))), ...splitter.push(enc.encode(text.slice(cut)))];
      expect(events.map((e) => sseData(e))).toEqual(['{"a":1}', '{"b":2}', "[DONE]"]);
      expect(Buffer.concat(events).toString()).toBe(text);
      expect(splitter.flush()).toBeNull();
    }
  });

  it("joins multi-line data fields", () => {
    expect(sseData(enc.encode("event: x\ndata: line1\ndata: line2\n\n"))).toBe("line1\nline2");
  });
});

describe("metering", () => {
  const chunk = (obj: unknown) => enc.encode(`data: ${JSON.stringify(obj)}\n\n`);

  it("takes usage from the stream and drops the usage-only chunk the client did not ask for", () => {
    const meter = new StreamMeter(false);
    expect(meter.accept(chunk({ choices: [{ index: 0, delta: { content: "Hi" } }], usage: null }))).toBe(true);
    expect(meter.accept(chunk({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 4 } } }))).toBe(false);
    expect(meter.accept(enc.encode("data: [DONE]\n\n"))).toBe(true);
    expect(meter.done).toBe(true);
    expect(meter.result(() => 0)).toEqual({ usage: { promptTokens: 9, completionTokens: 1, cachedTokens: 4, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 }, estimated: false });
  });

  it("keeps the usage chunk when the client asked for it", () => {
    const meter = new StreamMeter(true);
    expect(meter.accept(chunk({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 1 } }))).toBe(true);
  });

  it("counts streamed text with the tokenizer when there is no usage", () => {
    const meter = new StreamMeter(false);
    for (const piece of ["Hello", " there", ", friend"]) meter.accept(chunk({ choices: [{ index: 0, delta: { content: piece } }] }));
    meter.accept(chunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: "f", arguments: '{"x":1}' } }] } }] }));
    const result = meter.result(() => 42);
    expect(result.estimated).toBe(true);
    expect(result.usage.promptTokens).toBe(42);
    expect(result.usage.completionTokens).toBe(countTokens('Hello there, friendf{"x":1}'));
  });

  it("holds a long stream's text, not every event it relayed, and counts it joined", () => {
    const meter = new StreamMeter(false);
    // 3,000 events of ~1 KB each (ids and fingerprints) carrying three characters of text.
    const padding = "x".repeat(1_000);
    for (let i = 0; i < 3_000; i++) meter.accept(chunk({ id: `chatcmpl-${padding}`, choices: [{ index: 0, delta: { content: i % 2 ? " ab" : " cd" } }] }));
    expect(meter.heldChars).toBeLessThan(16_384 + 1_100 + 3 * 3_000);
    const expected = Array.from({ length: 3_000 }, (_, i) => (i % 2 ? " ab" : " cd")).join("");
    expect(meter.result(() => 0).usage.completionTokens).toBe(countTokens(expected));
  });

  it("stops holding text once the upstream reported usage", () => {
    const meter = new StreamMeter(true);
    meter.accept(chunk({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 1 } }));
    meter.accept(chunk({ choices: [{ index: 0, delta: { content: "late" } }] }));
    expect(meter.heldChars).toBe(0);
  });

  it("reads usage from a completion, or counts its choices", () => {
    expect(meterCompletion({ usage: { prompt_tokens: 3, completion_tokens: 2, completion_tokens_details: { reasoning_tokens: 1 } } }, () => 0).usage).toEqual({
      promptTokens: 3,
      completionTokens: 2,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 1,
    });
    const counted = meterCompletion({ choices: [{ message: { content: "Hello there!" } }] }, () => 7);
    expect(counted).toEqual({ usage: { promptTokens: 7, completionTokens: countTokens("Hello there!"), cachedTokens: 0, reasoningTokens: 0 }, estimated: true });
  });

  it("counts text with special-token look-alikes as plain text", () => {
    expect(countTokens("a <|endoftext|> b")).toBeGreaterThan(3);
  });
});

describe("request validation", () => {
  const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
  const error = (body: unknown) => {
    try {
      validate(chatCompletionRequestSchema, body);
    } catch (e) {
      return e as GatewayError;
    }
    throw new Error("expected a validation error");
  };

  it("accepts every documented field and keeps unknown ones", () => {
    const body = {
      ...base,
      messages: [
        { role: "system", content: "s" },
        { role: "developer", content: [{ type: "text", text: "d" }] },
        { role: "user", content: [{ type: "text", text: "u" }, { type: "image_url", image_url: { url: "https://x/y.png" } }, { type: "input_audio", input_audio: { data: "", format: "wav" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c", content: "r" },
      ],
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }, { type: "custom", custom: { name: "g" } }],
      brand_new_field: { anything: true },
    };
    expect(validate(chatCompletionRequestSchema, body)).toEqual(body);
  });

  it("names the offending parameter like OpenAI does", () => {
    expect(error({ ...base, model: 3 }).param).toBe("model");
    expect(error({ model: "m" }).param).toBe("messages");
    expect(error({ ...base, messages: [] }).param).toBe("messages");
    expect(error({ ...base, messages: [{ role: "wizard", content: "x" }] }).param).toBe("messages[0].role");
    expect(error({ ...base, messages: [{ role: "tool", content: "x" }] }).param).toBe("messages[0].tool_call_id");
    expect(error({ ...base, temperature: 3 }).param).toBe("temperature");
    expect(error({ ...base, n: 0 }).param).toBe("n");
    expect(error({ ...base, messages: [{ role: "user", content: [{ type: "image_url" }] }] }).param).toMatch(/^messages\[0\]\.content/);
    expect(error({ ...base, tools: [{ type: "function", function: { name: "bad name!" } }] }).param).toMatch(/^tools\[0\]\.function\.name/);
    expect(error({ ...base, temperature: 3 })).toMatchObject({ status: 400, type: "invalid_request_error" });
  });

  it("explains unparseable bodies", async () => {
    await expect(parseJsonBody(enc.encode("{"))).rejects.toThrow(/could not parse the JSON body/);
    await expect(parseJsonBody(enc.encode("[1]"))).rejects.toThrow(/must be a JSON object/);
    await expect(parseJsonBody(new Uint8Array())).rejects.toThrow(/empty/);
  });
});

describe("small steps", () => {
  it("reads bearer tokens", () => {
    expect(bearerToken("Bearer sk-abc")).toBe("sk-abc");
    expect(bearerToken("bearer   sk-abc ")).toBe("sk-abc");
    expect(bearerToken("Basic x")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });

  it("bounds prompt tokens by body bytes plus image tiles", () => {
    expect(promptTokensUpperBound(100, [{ content: "x" }, { content: [{ type: "image_url" }, { type: "text" }] }])).toBe(100 + 765);
  });

  it("caches with a TTL and one load per key at a time", async () => {
    const cache = new TtlCache<string, number>(1000, 2);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get("x", load, 0), cache.get("x", load, 0)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get("x", load, 500)).toBe(1);
    expect(await cache.get("x", load, 1500)).toBe(2);
  });

  it("wraps non-OpenAI upstream errors in OpenAI's shape", () => {
    const passthrough = enc.encode('{"error":{"message":"bad","code":"c"}}');
    expect(relayedError(400, passthrough)).toMatchObject({ body: passthrough, code: "c", message: "bad" });
    expect(JSON.parse(relayedError(422, enc.encode('{"detail":"too long"}')).body as string)).toEqual({ error: { message: "too long", type: "invalid_request_error", param: null, code: "upstream_422" } });
    expect(relayedError(400, enc.encode("plain")).message).toBe("plain");
  });
});
