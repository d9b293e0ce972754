import { sseData, SSE_DONE } from "../http/sse";

/**
 * One event of a Chat Completions stream (the hub), for a translator into another protocol: its
 * chunk, `SSE_DONE` at the end, or null for an event without data. An error chunk (how
 * OpenAI-compatible servers report a failure mid-stream) throws.
 */
export function hubChunk(event: Uint8Array): Record<string, unknown> | typeof SSE_DONE | null {
  const data = sseData(event);
  if (data === null || data === SSE_DONE) return data;
  const parsed = JSON.parse(data) as { error?: { message?: string } };
  if (parsed.error) throw new Error(parsed.error.message ?? "upstream error");
  return parsed;
}
