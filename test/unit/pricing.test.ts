import { describe, expect, it } from "vitest";
import { costOf, maxCostOf, type Price, type TokenUsage } from "@/lib/billing/pricing";
import { fromOpenAIUsage } from "@/lib/gateway/pipeline/usage";
import { usageFromAnthropic } from "@/lib/gateway/translate/anthropic/message-to-chat";

// Claude Sonnet-like rates, micro-dollars per 1M tokens: input $3, cache read $0.30,
// 5-minute write $3.75 (1.25×), 1-hour write $6 (2×), output $15.
const sonnet: Price = { inputPrice: 3_000_000n, outputPrice: 15_000_000n, cachedInputPrice: 300_000n, cacheWritePrice: 3_750_000n, cacheWrite1hPrice: 6_000_000n };
const usage = (u: Partial<TokenUsage>): TokenUsage => ({ promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, ...u });

describe("costOf with prompt-cache writes", () => {
  it("bills uncached input, reads, 5-minute writes, 1-hour writes and output each at its own rate", () => {
    // prompt 10000 = 2000 uncached + 5000 reads + 2000 5m writes + 1000 1h writes; 400 output
    // 2000×3 + 5000×0.3 + 2000×3.75 + 1000×6 + 400×15 = 6000 + 1500 + 7500 + 6000 + 6000 = 27000 µ$
    const u = usage({ promptTokens: 10_000, cachedTokens: 5_000, cacheWriteTokens: 3_000, cacheWrite1hTokens: 1_000, completionTokens: 400 });
    expect(costOf(u, sonnet)).toBe(27_000n);
  });

  it("never bills a cache write twice: writes are inside promptTokens", () => {
    // All 1000 prompt tokens were written (5 min): 1000 × 3.75 = 3750 µ$, not 3000 + 3750.
    expect(costOf(usage({ promptTokens: 1_000, cacheWriteTokens: 1_000 }), sonnet)).toBe(3_750n);
    // All 1000 written with a 1-hour TTL: 1000 × 6 = 6000 µ$.
    expect(costOf(usage({ promptTokens: 1_000, cacheWriteTokens: 1_000, cacheWrite1hTokens: 1_000 }), sonnet)).toBe(6_000n);
  });

  it("never bills cache reads at the input rate", () => {
    expect(costOf(usage({ promptTokens: 1_000, cachedTokens: 1_000 }), sonnet)).toBe(300n);
    expect(costOf(usage({ promptTokens: 1_000, cachedTokens: 1_000, cacheWriteTokens: 0 }), { ...sonnet, cacheWritePrice: null })).toBe(300n);
  });

  it("sums exactly and rounds up once per request, not per part", () => {
    // 1 uncached × 3 + 1 read × 0.3 + 1 5m write × 3.75 + 1 1h write × 6 = 13.05 µ$ → 14 µ$
    expect(costOf(usage({ promptTokens: 4, cachedTokens: 1, cacheWriteTokens: 2, cacheWrite1hTokens: 1 }), sonnet)).toBe(14n);
    const cheap: Price = { inputPrice: 1_000_000n, outputPrice: 0n, cachedInputPrice: 300_000n, cacheWritePrice: 350_000n, cacheWrite1hPrice: 350_000n };
    // 1 read × 0.3 + 1 write × 0.35 = 0.65 → 1 µ$ (rounding each part up would charge 2 µ$)
    expect(costOf(usage({ promptTokens: 2, cachedTokens: 1, cacheWriteTokens: 1 }), cheap)).toBe(1n);
    // 1 read × 0.3 + 1 5m write × 0.35 + 1 1h write × 0.35 = 1.0 exactly → 1 µ$
    expect(costOf(usage({ promptTokens: 3, cachedTokens: 1, cacheWriteTokens: 2, cacheWrite1hTokens: 1 }), cheap)).toBe(1n);
  });

  it("falls back: no write price bills writes at input; no 1-hour price bills them at the 5-minute rate", () => {
    const u = usage({ promptTokens: 1_000, cacheWriteTokens: 600, cacheWrite1hTokens: 200 });
    // 400 × 3.75 + 200 × 6 + 400 × 3 = 1500 + 1200 + 1200
    expect(costOf(u, sonnet)).toBe(3_900n);
    // no 1h price: 600 writes × 3.75 + 400 × 3 = 2250 + 1200
    expect(costOf(u, { ...sonnet, cacheWrite1hPrice: null })).toBe(3_450n);
    // no write prices at all: every prompt token at input
    expect(costOf(u, { ...sonnet, cacheWritePrice: null, cacheWrite1hPrice: null })).toBe(3_000n);
    // a 1h price without a 5m price: 5m writes at input, 1h writes at their own rate
    expect(costOf(u, { ...sonnet, cacheWritePrice: null })).toBe(800n * 3n + 200n * 6n);
  });

  it("missing cache-write fields read as no writes (old usage objects stay valid)", () => {
    expect(costOf({ promptTokens: 1_000, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 }, sonnet)).toBe(3_000n);
  });

  it("clamps details that exceed the total: never negative counts", () => {
    // reads and writes over the prompt: reads take the prompt first, writes get the rest (none)
    expect(costOf(usage({ promptTokens: 100, cachedTokens: 80, cacheWriteTokens: 50 }), sonnet)).toBe(ceil(80n * 300_000n + 20n * 3_750_000n));
    // 1h writes over all writes: all writes are 1h
    expect(costOf(usage({ promptTokens: 100, cacheWriteTokens: 10, cacheWrite1hTokens: 40 }), sonnet)).toBe(ceil(10n * 6_000_000n + 90n * 3_000_000n));
    // negative and fractional counts
    expect(costOf(usage({ promptTokens: 100, cacheWriteTokens: -5, cacheWrite1hTokens: -1 }), sonnet)).toBe(300n);
    expect(costOf(usage({ promptTokens: 100, cacheWriteTokens: Number.NaN }), sonnet)).toBe(300n);
  });

  it("maxCostOf bounds prompt tokens at the highest prompt rate, so it stays above costOf for any split", () => {
    // 1h write rate (6) is the highest: 1000 × 6 + 100 × 15
    expect(maxCostOf(1_000, 100, sonnet)).toBe(7_500n);
    // cached price above input (odd, but an admin may set it)
    expect(maxCostOf(1_000, 0, { ...sonnet, cachedInputPrice: 9_000_000n })).toBe(9_000n);
    const prices: Price[] = [
      sonnet,
      { ...sonnet, cacheWrite1hPrice: null },
      { ...sonnet, cacheWritePrice: null },
      { ...sonnet, cacheWritePrice: null, cacheWrite1hPrice: null, cachedInputPrice: null },
      { inputPrice: 1n, outputPrice: 1n, cachedInputPrice: 7n, cacheWritePrice: 3n, cacheWrite1hPrice: 2n },
    ];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % (n + 1));
    for (const price of prices) {
      for (let i = 0; i < 500; i++) {
        const prompt = rand(5_000);
        const cached = rand(prompt);
        const writes = rand(prompt - cached);
        const writes1h = rand(writes);
        const completion = rand(2_000);
        const u = usage({ promptTokens: prompt, cachedTokens: cached, cacheWriteTokens: writes, cacheWrite1hTokens: writes1h, completionTokens: completion });
        expect(maxCostOf(prompt, completion, price)).toBeGreaterThanOrEqual(costOf(u, price));
      }
      // the worst splits: all reads, all 5m writes, all 1h writes
      for (const u of [usage({ promptTokens: 999, cachedTokens: 999 }), usage({ promptTokens: 999, cacheWriteTokens: 999 }), usage({ promptTokens: 999, cacheWriteTokens: 999, cacheWrite1hTokens: 999 })]) {
        expect(maxCostOf(999, 0, price)).toBeGreaterThanOrEqual(costOf(u, price));
      }
    }
  });
});

describe("cache writes through usage readers", () => {
  it("fromOpenAIUsage reads the hub's cache_write_tokens and cache_write_1h_tokens", () => {
    expect(
      fromOpenAIUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 10, cache_write_tokens: 30, cache_write_1h_tokens: 20 } }),
    ).toEqual({ promptTokens: 100, completionTokens: 5, cachedTokens: 10, cacheWriteTokens: 30, cacheWrite1hTokens: 20, reasoningTokens: 0 });
    expect(fromOpenAIUsage({ prompt_tokens: 100 })).toMatchObject({ cacheWriteTokens: 0, cacheWrite1hTokens: 0 });
  });

  it("an Anthropic answer with 5-minute and 1-hour writes is billed at their rates", () => {
    const hub = usageFromAnthropic({
      input_tokens: 100,
      cache_read_input_tokens: 1_000,
      cache_creation_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 2_000, ephemeral_1h_input_tokens: 1_000 },
      output_tokens: 10,
    });
    expect(hub.prompt_tokens_details).toEqual({ cached_tokens: 1_000, cache_write_tokens: 3_000, cache_write_1h_tokens: 1_000 });
    const u = fromOpenAIUsage(hub);
    // 100 × 3 + 1000 × 0.3 + 2000 × 3.75 + 1000 × 6 + 10 × 15 = 300 + 300 + 7500 + 6000 + 150
    expect(costOf(u, sonnet)).toBe(14_250n);
  });
});

function ceil(scaled: bigint): bigint {
  return (scaled + 999_999n) / 1_000_000n;
}
