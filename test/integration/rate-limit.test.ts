import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryRateLimiter, type RateLimiter } from "@/lib/gateway/limits/rate-limit";
import { RedisRateLimiter } from "@/lib/gateway/limits/rate-limit-redis";
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
  it("admits (rate limits must not take the API down) and says so in the log", async () => {
    const l = new RedisRateLimiter("redis://127.0.0.1:9", prefix);
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(" "));
    try {
      expect(await l.admit("k", { rpm: 0, tpm: 0 })).toEqual({ ok: true });
      await l.recordTokens("k", 10);
    } finally {
      console.error = original;
      await l.close();
    }
    expect(errors.join("\n")).toContain("Redis rate limiter unavailable");
  });
});
