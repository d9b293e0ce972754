import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/observability/log";
import { MemoryRateLimiter, type RateLimiter } from "@/lib/gateway/limits/rate-limit";
import { RedisRateLimiter } from "@/lib/gateway/limits/rate-limit-redis";
import { startPrivateRedis } from "../helpers/private-services";
import { redisAvailable, testRedisUrl } from "../helpers/redis";

/** One contract, two implementations: the shared (Redis) limiter decides exactly like the in-memory one. */
const prefix = `rootapi-test:${randomUUID()}:`;
const limiters: Array<[string, () => RateLimiter]> = [["memory", () => new MemoryRateLimiter()]];
if (await redisAvailable()) limiters.push(["redis", () => new RedisRateLimiter(testRedisUrl(), prefix)]);

afterAll(async () => {
  if (limiters.length < 2) return;
  const redis = new Redis(testRedisUrl());
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe.each(limiters)("%s rate limiter", (_name, make) => {
  const open: RateLimiter[] = [];
  const limiter = () => {
    const made = make();
    open.push(made);
    return made;
  };
  afterAll(async () => {
    await Promise.all(open.map((l) => l.close?.()));
  });

  it("refuses past the RPM limit with the seconds until a slot frees up, per key", async () => {
    const l = limiter();
    const t0 = 1_000_000_000;
    expect((await l.admit("k1", { rpm: 2, tpm: null }, t0)).ok).toBe(true);
    expect((await l.admit("k1", { rpm: 2, tpm: null }, t0 + 10_000)).ok).toBe(true);
    expect(await l.admit("k1", { rpm: 2, tpm: null }, t0 + 20_000)).toEqual({ ok: false, kind: "requests", retryAfterSeconds: 40, limit: 2 });
    expect((await l.admit("k2", { rpm: 2, tpm: null }, t0 + 20_000)).ok).toBe(true);
    expect((await l.admit("k1", { rpm: 2, tpm: null }, t0 + 60_500)).ok).toBe(true);
  });

  it("refuses once the TPM window is used up, until the tokens age out", async () => {
    const l = limiter();
    const t0 = 2_000_000_000;
    expect((await l.admit("k3", { rpm: null, tpm: 1000 }, t0)).ok).toBe(true);
    await l.recordTokens("k3", 1200, t0);
    expect(await l.admit("k3", { rpm: null, tpm: 1000 }, t0 + 1000)).toEqual({ ok: false, kind: "tokens", retryAfterSeconds: 59, limit: 1000 });
    expect((await l.admit("k3", { rpm: null, tpm: 1000 }, t0 + 61_000)).ok).toBe(true);
  });

  it("counts a request's token bound at admission and corrects it to the tokens used", async () => {
    const l = limiter();
    const t0 = 4_000_000_000;
    expect((await l.admit("k5", { rpm: null, tpm: 1000, tokens: 600 }, t0)).ok).toBe(true);
    expect(await l.admit("k5", { rpm: null, tpm: 1000, tokens: 600 }, t0 + 10)).toMatchObject({ ok: false, kind: "tokens", limit: 1000 });
    await l.recordTokens("k5", 100 - 600, t0 + 2_000, t0);
    expect((await l.admit("k5", { rpm: null, tpm: 1000, tokens: 600 }, t0 + 2_010)).ok).toBe(true);
    // 700 counted now: a bound of 400 more is refused until the first 100 age out (60 s after t0).
    expect(await l.admit("k5", { rpm: null, tpm: 1000, tokens: 400 }, t0 + 3_000)).toEqual({ ok: false, kind: "tokens", retryAfterSeconds: 57, limit: 1000 });
  });

  it("admits one request larger than the TPM limit into an empty window only", async () => {
    const l = limiter();
    const t0 = 5_000_000_000;
    expect((await l.admit("k6", { rpm: null, tpm: 100, tokens: 5_000 }, t0)).ok).toBe(true);
    expect(await l.admit("k6", { rpm: null, tpm: 100, tokens: 5_000 }, t0 + 1_000)).toEqual({ ok: false, kind: "tokens", retryAfterSeconds: 59, limit: 100 });
  });

  it("counts a refused request nowhere", async () => {
    const l = limiter();
    const t0 = 3_000_000_000;
    expect((await l.admit("k4", { rpm: 1, tpm: 10 }, t0)).ok).toBe(true);
    await l.recordTokens("k4", 50, t0);
    expect(await l.admit("k4", { rpm: 5, tpm: 10 }, t0 + 1000)).toMatchObject({ ok: false, kind: "tokens" });
    expect(await l.admit("k4", { rpm: 5, tpm: null }, t0 + 2000)).toMatchObject({ ok: true });
    // 2 counted (t0, t0+2s), the tokens-refused one was not.
    expect(await l.admit("k4", { rpm: 2, tpm: null }, t0 + 3000)).toMatchObject({ ok: false, kind: "requests", retryAfterSeconds: 57 });
  });
});

describe.runIf(limiters.length > 1)("redis rate limiter when Redis is down", () => {
  it("admits (rate limits must not take the API down) and logs the outage once", async () => {
    const l = new RedisRateLimiter("redis://127.0.0.1:9", prefix);
    const errors = vi.spyOn(logger("rate-limit"), "error").mockImplementation(() => undefined);
    try {
      expect(await l.admit("k", { rpm: 0, tpm: 0 })).toEqual({ ok: true });
      expect(await l.admit("k", { rpm: 0, tpm: 0 })).toEqual({ ok: true });
      await l.recordTokens("k", 10);
      expect(errors.mock.calls).toHaveLength(1);
      expect(errors.mock.calls[0]![0]).toMatchObject({ event: "redis.down" });
      expect(errors.mock.calls[0]![1]).toContain("Redis rate limiter unavailable");
    } finally {
      errors.mockRestore();
      await l.close();
    }
  });

  it("logs Redis going away and coming back once each, however many requests meanwhile", async () => {
    // A private Redis: the shared one must stay up for the other tests.
    const redis = await startPrivateRedis();
    const log = logger("rate-limit");
    const errors = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const infos = vi.spyOn(log, "info").mockImplementation(() => undefined);
    const l = new RedisRateLimiter(redis.url, prefix);
    try {
      expect(await l.admit("k", { rpm: 100, tpm: null })).toEqual({ ok: true });
      await redis.stop();
      for (let i = 0; i < 5; i++) expect(await l.admit("k", { rpm: 100, tpm: null })).toEqual({ ok: true });
      await redis.start();
      await vi.waitFor(async () => {
        await l.admit("k", { rpm: 100, tpm: null });
        expect(infos.mock.calls.map((call) => call[0])).toContainEqual({ event: "redis.up" });
      }, { timeout: 15_000, interval: 200 });
      expect(errors.mock.calls.map((call) => (call[0] as { event: string }).event)).toEqual(["redis.down"]);
      expect(infos.mock.calls.filter((call) => (call[0] as { event: string }).event === "redis.up")).toHaveLength(1);
    } finally {
      errors.mockRestore();
      infos.mockRestore();
      await l.close();
      await redis.destroy();
    }
  }, 30_000);
});
