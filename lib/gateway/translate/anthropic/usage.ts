import type { AnthropicUsage } from "./wire";

/**
 * Hub (Chat Completions) usage → Anthropic usage. The hub counts cache reads and cache writes
 * inside prompt_tokens, as OpenAI does; Anthropic counts them apart from input_tokens, so they are
 * taken out. cache_write_tokens is where hub providers report cache writes (0 when they don't),
 * cache_write_1h_tokens the part of them written with a 1-hour TTL (the rest are 5-minute writes).
 */

export interface HubUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null; cache_write_1h_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

export function usageFromHub(usage: HubUsage | null | undefined): AnthropicUsage {
  const prompt = count(usage?.prompt_tokens);
  const cacheRead = count(usage?.prompt_tokens_details?.cached_tokens);
  const cacheWrite = count(usage?.prompt_tokens_details?.cache_write_tokens);
  const cacheWrite1h = Math.min(count(usage?.prompt_tokens_details?.cache_write_1h_tokens), cacheWrite);
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  return {
    // A server whose details exceed its own total is wrong somewhere; never report negative input.
    input_tokens: Math.max(0, prompt - cacheRead - cacheWrite),
    output_tokens: count(usage?.completion_tokens),
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite - cacheWrite1h, ephemeral_1h_input_tokens: cacheWrite1h },
    output_tokens_details: typeof reasoning === "number" ? { thinking_tokens: count(reasoning) } : null,
    server_tool_use: null,
    service_tier: null,
    inference_geo: null,
    speed: null,
  };
}
