/**
 * Cost of a request in micro-dollars, from token counts and a price in micro-dollars per 1M tokens.
 * The sum is formed exactly (bigint) and rounded up once per request, so no fraction is lost and
 * a request is never charged more than one micro-dollar above its exact cost.
 */
export interface Price {
  inputPrice: bigint;
  outputPrice: bigint;
  /** Null: cached prompt tokens cost the normal input price. */
  cachedInputPrice: bigint | null;
  /** Prompt-cache writes (5-minute TTL). Null: they cost the normal input price. */
  cacheWritePrice: bigint | null;
  /** Prompt-cache writes with a 1-hour TTL. Null: they cost the 5-minute write price (itself falling back to input). */
  cacheWrite1hPrice: bigint | null;
}

export interface TokenUsage {
  /** All prompt tokens, cache reads and cache writes included (OpenAI's prompt_tokens). */
  promptTokens: number;
  /** The part of promptTokens served from the provider's prompt cache. */
  cachedTokens: number;
  /** The part of promptTokens written to the prompt cache (5-minute and 1-hour writes). Missing = 0. */
  cacheWriteTokens?: number;
  /** The part of cacheWriteTokens written with a 1-hour TTL. Missing = 0. */
  cacheWrite1hTokens?: number;
  /** All generated tokens, reasoning included (OpenAI's completion_tokens). */
  completionTokens: number;
  reasoningTokens: number;
}

const PER_MILLION = 1_000_000n;

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** A token count as a non-negative integer bigint (absent, negative or non-finite counts are 0). */
const tokens = (value: number | undefined) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? BigInt(Math.floor(value)) : 0n);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The rates each kind of prompt token is billed at, fallbacks applied. */
export function promptRates(price: Price) {
  const cacheWrite = price.cacheWritePrice ?? price.inputPrice;
  return {
    input: price.inputPrice,
    cachedInput: price.cachedInputPrice ?? price.inputPrice,
    cacheWrite,
    cacheWrite1h: price.cacheWrite1hPrice ?? cacheWrite,
  };
}

/**
 * Splits promptTokens into uncached input, cache reads, 5-minute writes and 1-hour writes. Reads
 * and writes are parts of promptTokens; a server whose details exceed its total is clamped (reads
 * first, then writes, then the 1-hour part of the writes), so no count is negative or counted twice.
 */
export function splitPrompt(usage: TokenUsage) {
  const prompt = tokens(usage.promptTokens);
  const cached = min(tokens(usage.cachedTokens), prompt);
  const writes = min(tokens(usage.cacheWriteTokens), prompt - cached);
  const writes1h = min(tokens(usage.cacheWrite1hTokens), writes);
  return { uncached: prompt - cached - writes, cached, writes5m: writes - writes1h, writes1h };
}

export function costOf(usage: TokenUsage, price: Price): bigint {
  const rates = promptRates(price);
  const split = splitPrompt(usage);
  const scaled =
    split.uncached * rates.input +
    split.cached * rates.cachedInput +
    split.writes5m * rates.cacheWrite +
    split.writes1h * rates.cacheWrite1h +
    tokens(usage.completionTokens) * price.outputPrice;
  return ceilDiv(scaled, PER_MILLION);
}

/**
 * The most a request may cost: what is held against the balance before it is sent upstream. Any
 * prompt token may turn out a cache write (up to 2× input), so prompt tokens are bounded at the
 * highest prompt rate.
 */
export function maxCostOf(promptTokensUpperBound: number, maxOutputTokens: number, price: Price): bigint {
  const rates = promptRates(price);
  let promptRate = rates.input;
  for (const rate of [rates.cachedInput, rates.cacheWrite, rates.cacheWrite1h]) if (rate > promptRate) promptRate = rate;
  return ceilDiv(BigInt(promptTokensUpperBound) * promptRate + BigInt(maxOutputTokens) * price.outputPrice, PER_MILLION);
}
