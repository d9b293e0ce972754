/** Gateway settings from the environment, read once. */
function intFromEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

export interface GatewayConfig {
  /** Largest request body accepted (413 above). */
  maxBodyBytes: number;
  /** Channels tried per request before giving up. */
  maxAttempts: number;
  /** Output tokens assumed for the hold when a request sets no max_tokens. */
  defaultMaxOutputTokens: number;
  /** Consecutive failures after which a channel is disabled automatically. */
  channelFailureThreshold: number;
  /** How often auto-disabled channels are re-tested. */
  channelRetestMs: number;
  /** A funds lease not renewed for this long is given back by any instance (see lib/gateway/funds/leases.ts). */
  leaseTtlMs: number;
}

export function readGatewayConfig(): GatewayConfig {
  return {
    maxBodyBytes: intFromEnv("ROOTAPI_MAX_BODY_MB", 20, 1) * 1024 * 1024,
    maxAttempts: intFromEnv("ROOTAPI_MAX_ATTEMPTS", 3, 1),
    defaultMaxOutputTokens: intFromEnv("ROOTAPI_DEFAULT_MAX_OUTPUT_TOKENS", 4096, 1),
    channelFailureThreshold: intFromEnv("ROOTAPI_CHANNEL_FAILURE_THRESHOLD", 5, 1),
    channelRetestMs: intFromEnv("ROOTAPI_CHANNEL_RETEST_SECONDS", 60, 1) * 1000,
    leaseTtlMs: intFromEnv("ROOTAPI_LEASE_TTL_SECONDS", 60, 3) * 1000,
  };
}
