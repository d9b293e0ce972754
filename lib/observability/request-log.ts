import type { RequestRecord } from "../gateway/funds/settlement";
import { logger } from "./log";

/**
 * The one line per /v1 request, written when it is settled: everything a support question needs
 * to find it (request id, key and user ids — never the key), and what it did and cost. A 5xx is an
 * error of ours or the upstreams', a 4xx the caller's (warn), anything else info.
 */
const log = logger("gateway");

export function logRequest(record: RequestRecord): void {
  const level = record.status >= 500 ? "error" : record.status >= 400 ? "warn" : "info";
  // Skips building the fields when the level is off (LOG_LEVEL=warn on a busy gateway).
  if (!log.isLevelEnabled(level)) return;
  log[level](requestFields(record), `${record.endpoint} ${record.status}`);
}

export function requestFields(record: RequestRecord) {
  return {
    event: "request",
    requestId: record.id,
    keyId: record.apiKeyId,
    userId: record.userId,
    endpoint: record.endpoint,
    model: record.model,
    upstreamModel: record.upstreamModel,
    channelId: record.channelId,
    status: record.status,
    attempts: record.attempts,
    stream: record.stream,
    tokens: {
      prompt: record.promptTokens,
      cached: record.cachedTokens,
      cacheWrite: record.cacheWriteTokens,
      cacheWrite1h: record.cacheWrite1hTokens,
      completion: record.completionTokens,
      reasoning: record.reasoningTokens,
    },
    // Micro-dollars. JSON has no BigInt; a number is exact up to 2^53 µ$ (about 9 billion dollars).
    cost: record.cost <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(record.cost) : record.cost.toString(),
    estimated: record.estimated,
    latencyMs: record.latencyMs,
    ttfbMs: record.ttfbMs,
    errorCode: record.errorCode,
  };
}
