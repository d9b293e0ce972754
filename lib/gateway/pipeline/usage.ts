import type { TokenUsage } from "../../billing/pricing";

/** OpenAI's chat `usage` object (other providers are translated into it by their adapters). */
export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** cache_write_tokens (all prompt-cache writes) and cache_write_1h_tokens (their 1-hour part) are the hub's extensions. */
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; cache_write_1h_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

export function fromOpenAIUsage(usage: OpenAIUsage): TokenUsage {
  return {
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
    cachedTokens: count(usage.prompt_tokens_details?.cached_tokens),
    cacheWriteTokens: count(usage.prompt_tokens_details?.cache_write_tokens),
    cacheWrite1hTokens: count(usage.prompt_tokens_details?.cache_write_1h_tokens),
    reasoningTokens: count(usage.completion_tokens_details?.reasoning_tokens),
  };
}

export function isUsageObject(value: unknown): value is OpenAIUsage {
  return typeof value === "object" && value !== null && ("prompt_tokens" in value || "completion_tokens" in value);
}
