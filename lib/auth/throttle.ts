/**
 * Sign-in throttling. Failures are counted per account-and-address pair (the lock) and per address
 * (a cap on one address guessing many accounts). Failures against an account from anywhere only
 * slow its sign-ins down (a growing delay): a stranger elsewhere can slow a user, never lock them out.
 *
 * In-memory, which is right for one instance; the store interface lets a shared (Redis) one slot in.
 */
export interface AttemptStore {
  /** Failures recorded for `key` within the last `windowMs`. */
  failures(key: string, windowMs: number, now: number): number;
  recordFailure(key: string, now: number): void;
  reset(key: string): void;
}

export class MemoryAttemptStore implements AttemptStore {
  private readonly attempts = new Map<string, number[]>();
  private recorded = 0;

  /** Records older than this are dropped by the periodic sweep, so unique keys cannot pile up. */
  constructor(private readonly maxAgeMs = 60 * 60_000) {}

  failures(key: string, windowMs: number, now: number): number {
    const recent = (this.attempts.get(key) ?? []).filter((t) => now - t < windowMs);
    if (recent.length) this.attempts.set(key, recent);
    else this.attempts.delete(key);
    return recent.length;
  }

  recordFailure(key: string, now: number): void {
    const list = this.attempts.get(key) ?? [];
    list.push(now);
    this.attempts.set(key, list);
    if (++this.recorded % 1000 === 0) this.sweep(now);
  }

  reset(key: string): void {
    this.attempts.delete(key);
  }

  get size(): number {
    return this.attempts.size;
  }

  sweep(now: number): void {
    for (const [key, times] of this.attempts) {
      if (now - times[times.length - 1]! >= this.maxAgeMs) this.attempts.delete(key);
    }
  }
}

export interface ThrottleOptions {
  /** Failures from one address against one account before that pair is locked for the window. */
  maxPerPair: number;
  /** Failures from one address (any accounts) before that address is locked for the window. */
  maxPerAddress: number;
  windowMs: number;
  /** Failures against one account (any address) tolerated before sign-ins to it are slowed down. */
  slowAfter: number;
  /** First delay; it doubles with each further failure, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  maxPerPair: 5,
  maxPerAddress: 30,
  windowMs: 15 * 60_000,
  slowAfter: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
};

export class SignInThrottle {
  constructor(
    private readonly store: AttemptStore = new MemoryAttemptStore(),
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
  ) {}

  isBlocked(email: string, address: string, now = Date.now()): boolean {
    const { windowMs, maxPerPair, maxPerAddress } = this.options;
    return (
      this.store.failures(pairKey(email, address), windowMs, now) >= maxPerPair ||
      this.store.failures(`addr:${address}`, windowMs, now) >= maxPerAddress
    );
  }

  /** How long to wait before checking a password for this account (0 when it has few recent failures). */
  delayMs(email: string, now = Date.now()): number {
    const { windowMs, slowAfter, baseDelayMs, maxDelayMs } = this.options;
    const excess = this.store.failures(`acct:${email}`, windowMs, now) - slowAfter;
    if (excess < 0) return 0;
    return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(excess, 20));
  }

  fail(email: string, address: string, now = Date.now()): void {
    this.store.recordFailure(pairKey(email, address), now);
    this.store.recordFailure(`addr:${address}`, now);
    this.store.recordFailure(`acct:${email}`, now);
  }

  /** The right password from this address: its lock and the account's slow-down are cleared. */
  succeed(email: string, address: string): void {
    this.store.reset(pairKey(email, address));
    this.store.reset(`acct:${email}`);
  }
}

function pairKey(email: string, address: string): string {
  return `pair:${email}\n${address}`;
}
