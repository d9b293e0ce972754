/**
 * Per-key RPM/TPM limits over a sliding 60-second window of 1-second buckets: O(1) per request
 * and accurate to a second. In memory, which is right for one instance; with REDIS_URL every
 * instance shares the same counters instead (rate-limit-redis.ts).
 */
export interface Limits {
  rpm: number | null;
  tpm: number | null;
  /**
   * Tokens this request may use (its reservation's bound: prompt bound + max output), counted into
   * the TPM window at admission so a burst cannot get past the limit before any request finished;
   * settlement corrects the count to what was used. A request is refused when it would take the
   * window past the limit — unless the window is empty, so a key whose limit is below one request's
   * bound still gets one request a minute instead of none.
   */
  tokens?: number;
}

export type LimitDecision = { ok: true } | { ok: false; kind: "requests" | "tokens"; retryAfterSeconds: number; limit: number };

export interface RateLimiter {
  /** Checks both limits and, if allowed, counts this request (and its token bound). */
  admit(keyId: string, limits: Limits, now?: number): LimitDecision | Promise<LimitDecision>;
  /**
   * Adds tokens (negative to take back part of an admitted bound) to the key's TPM window, in the
   * second `at` they were admitted in; nothing once that second has left the window.
   */
  recordTokens(keyId: string, tokens: number, now?: number, at?: number): void | Promise<void>;
  close?(): Promise<void>;
  /** A round trip to the shared backend (Redis), for readiness; rejects when it is unreachable. */
  ping?(): Promise<void>;
}

const WINDOW_SECONDS = 60;

/** Counts over the last 60 seconds in one-second buckets. */
export class WindowCounter {
  private readonly buckets = new Float64Array(WINDOW_SECONDS);
  private readonly stamps = new Float64Array(WINDOW_SECONDS).fill(-1);

  add(amount: number, nowMs: number, atMs = nowMs): void {
    const second = Math.floor(atMs / 1000);
    if (Math.floor(nowMs / 1000) - second >= WINDOW_SECONDS) return;
    const slot = second % WINDOW_SECONDS;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot]! += amount;
  }

  total(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < WINDOW_SECONDS; i++) if (second - this.stamps[i]! < WINDOW_SECONDS) sum += this.buckets[i]!;
    return sum;
  }

  /** Seconds until enough of the window expires for the total to drop below `limit`. */
  secondsUntilBelow(limit: number, nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let total = this.total(nowMs);
    for (let age = WINDOW_SECONDS - 1; age >= 0 && total >= limit; age--) {
      const slot = (((second - age) % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS;
      if (this.stamps[slot] === second - age) total -= this.buckets[slot]!;
      if (total < limit) return WINDOW_SECONDS - age;
    }
    return WINDOW_SECONDS;
  }

  isEmpty(nowMs: number): boolean {
    return this.total(nowMs) === 0;
  }
}

/** Whether a request of `tokens` must wait, with `used` tokens in the window (see Limits.tokens). */
export function exceedsTpm(used: number, tokens: number, tpm: number): boolean {
  return used >= tpm || (used > 0 && used + tokens > tpm);
}

/** The window total below which a request of `tokens` is admitted (for retry-after). */
export function tpmRoomFor(tokens: number, tpm: number): number {
  return Math.max(1, tpm - tokens + 1);
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly requests = new Map<string, WindowCounter>();
  private readonly tokens = new Map<string, WindowCounter>();
  private lastSweep = 0;

  admit(keyId: string, limits: Limits, now = Date.now()): LimitDecision {
    this.sweep(now);
    if (limits.rpm !== null) {
      const counter = this.counter(this.requests, keyId);
      if (counter.total(now) >= limits.rpm) {
        return { ok: false, kind: "requests", retryAfterSeconds: counter.secondsUntilBelow(limits.rpm, now), limit: limits.rpm };
      }
    }
    const tokens = limits.tokens ?? 0;
    if (limits.tpm !== null) {
      const counter = this.tokens.get(keyId);
      const used = counter ? counter.total(now) : 0;
      if (counter && exceedsTpm(used, tokens, limits.tpm)) {
        return { ok: false, kind: "tokens", retryAfterSeconds: counter.secondsUntilBelow(tpmRoomFor(tokens, limits.tpm), now), limit: limits.tpm };
      }
    }
    if (limits.rpm !== null) this.counter(this.requests, keyId).add(1, now);
    if (limits.tpm !== null && tokens > 0) this.counter(this.tokens, keyId).add(tokens, now);
    return { ok: true };
  }

  recordTokens(keyId: string, tokens: number, now = Date.now(), at = now): void {
    if (tokens === 0) return;
    const counter = tokens > 0 ? this.counter(this.tokens, keyId) : this.tokens.get(keyId);
    counter?.add(tokens, now, at);
  }

  private counter(map: Map<string, WindowCounter>, keyId: string): WindowCounter {
    let counter = map.get(keyId);
    if (!counter) map.set(keyId, (counter = new WindowCounter()));
    return counter;
  }

  /** Forgets idle keys once a minute so memory follows the active keys, not every key ever seen. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const map of [this.requests, this.tokens]) for (const [key, counter] of map) if (counter.isEmpty(now)) map.delete(key);
  }
}
