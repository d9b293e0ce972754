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
}

export interface TokenUsage {
  /** All prompt tokens, cached ones included (OpenAI's prompt_tokens). */
  promptTokens: number;
  /** The part of promptTokens served from the provider's prompt cache. */
  cachedTokens: number;
  /** All generated tokens, reasoning included (OpenAI's completion_tokens). */
  completionTokens: number;
  reasoningTokens: number;
}

const PER_MILLION = 1_000_000n;

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

export function costOf(usage: TokenUsage, price: Price): bigint {
  const cached = BigInt(Math.min(usage.cachedTokens, usage.promptTokens));
  const uncached = BigInt(usage.promptTokens) - cached;
  const scaled =
    uncached * price.inputPrice + cached * (price.cachedInputPrice ?? price.inputPrice) + BigInt(usage.completionTokens) * price.outputPrice;
  return ceilDiv(scaled, PER_MILLION);
}

/** The most a request may cost: what is held against the balance before it is sent upstream. */
export function maxCostOf(promptTokensUpperBound: number, maxOutputTokens: number, price: Price): bigint {
  return ceilDiv(BigInt(promptTokensUpperBound) * price.inputPrice + BigInt(maxOutputTokens) * price.outputPrice, PER_MILLION);
}
