import { Redis } from "ioredis";
import type { LimitDecision, Limits, RateLimiter } from "./rate-limit";
import { countRedisError } from "../../observability/metrics";
import { logger } from "../../observability/log";

const log = logger("rate-limit");

/**
 * The per-key RPM/TPM limits shared by every instance through Redis (REDIS_URL): the same sliding
 * 60-second window of 1-second buckets as the in-memory limiter, kept in one hash per key and
 * counter (field = second, value = count) and checked and counted by one script, atomically, in
 * one round trip. If Redis cannot be reached the request is admitted (and the outage logged):
 * rate limits protect upstreams, they must not take the API down with Redis.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local window = 60
local function live(key)
  local entries = redis.call('HGETALL', key)
  local buckets, sum = {}, 0
  for i = 1, #entries, 2 do
    local second, count = tonumber(entries[i]), tonumber(entries[i + 1])
    if now - second >= window then
      redis.call('HDEL', key, entries[i])
    else
      sum = sum + count
      buckets[#buckets + 1] = { second, count }
    end
  end
  return sum, buckets
end
local function secondsUntilBelow(buckets, sum, limit)
  table.sort(buckets, function(a, b) return a[1] < b[1] end)
  for _, bucket in ipairs(buckets) do
    sum = sum - bucket[2]
    if sum < limit then return bucket[1] + window - now end
  end
  return window
end
if rpm >= 0 then
  local sum, buckets = live(KEYS[1])
  if sum >= rpm then return { 1, secondsUntilBelow(buckets, sum, rpm) } end
end
if tpm >= 0 then
  local sum, buckets = live(KEYS[2])
  -- As exceedsTpm/tpmRoomFor in rate-limit.ts: an empty window admits any one request.
  if sum >= tpm or (sum > 0 and sum + tokens > tpm) then
    return { 2, secondsUntilBelow(buckets, sum, math.max(1, tpm - tokens + 1)) }
  end
end
if rpm >= 0 then
  redis.call('HINCRBY', KEYS[1], now, 1)
  redis.call('EXPIRE', KEYS[1], window + 1)
end
if tpm >= 0 and tokens > 0 then
  redis.call('HINCRBY', KEYS[2], now, tokens)
  redis.call('EXPIRE', KEYS[2], window + 1)
end
return { 0, 0 }
`;

/** Token counts are sent in batches this often: one round trip per request (the admission) instead of two. */
const TOKEN_FLUSH_MS = 100;
const STARTUP_WAIT_MS = 2_000;

type AdmitReply = [kind: 0 | 1 | 2, retryAfterSeconds: number];

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis & { rootapiAdmit(requests: string, tokens: string, now: number, rpm: number, tpm: number, bound: number): Promise<AdmitReply> };
  /** Whether Redis is known to be away: its loss and return are each logged once. */
  private down = false;
  /** Tokens not yet sent: key → second → tokens. */
  private pendingTokens = new Map<string, Map<number, number>>();
  private tokenFlush: Promise<void> | null = null;
  /** Until the first connection is up, requests wait for it (briefly); after that, an outage admits at once. */
  private firstConnection: Promise<void> | null;

  constructor(
    url: string,
    private readonly prefix = "rootapi:rl:",
  ) {
    // No offline queue and one attempt: while Redis is away, commands fail at once (and the
    // request is admitted) instead of piling up behind a reconnect.
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 }) as typeof this.redis;
    this.redis.on("error", (error: Error) => this.outage(error));
    this.redis.on("ready", () => this.recovered());
    this.redis.defineCommand("rootapiAdmit", { numberOfKeys: 2, lua: ADMIT });
    this.firstConnection = new Promise<void>((resolve) => this.redis.once("ready", resolve)).then(() => {
      this.firstConnection = null;
    });
  }

  private async connected(): Promise<void> {
    if (!this.firstConnection) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.firstConnection, new Promise((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)))]);
    clearTimeout(timer);
    // Not up in time: an outage like any other from now on (no more waiting).
    this.firstConnection = null;
  }

  async admit(keyId: string, limits: Limits, now = Date.now()): Promise<LimitDecision> {
    try {
      await this.connected();
      const [kind, retryAfterSeconds] = await this.redis.rootapiAdmit(this.key(keyId, "req"), this.key(keyId, "tok"), Math.floor(now / 1000), limits.rpm ?? -1, limits.tpm ?? -1, limits.tokens ?? 0);
      if (this.down) this.recovered();
      if (kind === 0) return { ok: true };
      return kind === 1 ? { ok: false, kind: "requests", retryAfterSeconds, limit: limits.rpm! } : { ok: false, kind: "tokens", retryAfterSeconds, limit: limits.tpm! };
    } catch (error) {
      this.outage(error as Error);
      return { ok: true };
    }
  }

  /** Resolves once the batch holding these tokens was written (tests; the gateway does not wait). */
  recordTokens(keyId: string, tokens: number, now = Date.now(), at = now): Promise<void> {
    const second = Math.floor(at / 1000);
    // A second that left the window is gone from the hash too: a correction would recreate it.
    if (tokens === 0 || Math.floor(now / 1000) - second >= 60) return Promise.resolve();
    const key = this.key(keyId, "tok");
    let seconds = this.pendingTokens.get(key);
    if (!seconds) this.pendingTokens.set(key, (seconds = new Map()));
    seconds.set(second, (seconds.get(second) ?? 0) + tokens);
    this.tokenFlush ??= new Promise<void>((resolve) => setTimeout(resolve, TOKEN_FLUSH_MS).unref()).then(() => this.flushTokens());
    return this.tokenFlush;
  }

  private async flushTokens(): Promise<void> {
    const batch = this.pendingTokens;
    this.pendingTokens = new Map();
    this.tokenFlush = null;
    if (!batch.size) return;
    try {
      await this.connected();
      const pipeline = this.redis.pipeline();
      for (const [key, seconds] of batch) {
        for (const [second, tokens] of seconds) pipeline.hincrby(key, String(second), tokens);
        pipeline.expire(key, 61);
      }
      for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    } catch (error) {
      this.outage(error as Error);
    }
  }

  async ping(): Promise<void> {
    // The limiter's own connection: no offline queue, so an outage fails at once instead of waiting.
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.tokenFlush) await this.flushTokens();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(keyId: string, counter: "req" | "tok"): string {
    return `${this.prefix}${keyId}:${counter}`;
  }

  private outage(error: Error): void {
    countRedisError();
    if (this.down) return;
    this.down = true;
    log.error({ event: "redis.down", error: error.message }, "Redis rate limiter unavailable (requests are admitted meanwhile)");
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    log.info({ event: "redis.up" }, "Redis rate limiter reachable again");
  }
}
