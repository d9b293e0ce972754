/**
 * Gemini's usageMetadata → the hub's (OpenAI's) usage. Gemini counts cached tokens inside
 * promptTokenCount, as OpenAI does; but its candidatesTokenCount leaves the thinking out
 * (thoughtsTokenCount), while OpenAI's completion_tokens include reasoning. Tool-use prompt tokens
 * (server-side tools' results) are input too. In a stream the counts are cumulative: the last
 * event's usageMetadata is the answer's.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

export function usageFromGemini(metadata: unknown): Loose {
  const u = isObject(metadata) ? metadata : {};
  const prompt = count(u.promptTokenCount) + count(u.toolUsePromptTokenCount);
  const thoughts = count(u.thoughtsTokenCount);
  const completion = count(u.candidatesTokenCount) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(u.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

/**
 * Why the candidate stopped, in chat's terms. Every block and filter reason is `content_filter`;
 * MALFORMED_FUNCTION_CALL and the like end the answer as a plain stop.
 */
const FILTERED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION"]);

export function finishReasonFromGemini(reason: unknown, hasToolCalls: boolean): string {
  if (reason === "MAX_TOKENS") return "length";
  if (typeof reason === "string" && FILTERED.has(reason)) return "content_filter";
  return hasToolCalls ? "tool_calls" : "stop";
}
