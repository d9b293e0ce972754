/**
 * Sign-in throttling: after too many failures for the same account or the same client address
 * within the window, further attempts are refused until the window has passed.
 *
 * In-memory, which is right for one instance; the interface lets a shared (Redis) store slot in.
 */
export interface AttemptStore {
  /** Failures recorded for `key` within the last `windowMs`. */
  failures(key: string, windowMs: number, now: number): number;
  recordFailure(key: string, now: number): void;
  reset(key: string): void;
}

export class MemoryAttemptStore implements AttemptStore {
  private readonly attempts = new Map<string, number[]>();

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
  }

  reset(key: string): void {
    this.attempts.delete(key);
  }
}

export interface ThrottleOptions {
  maxPerAccount: number;
  maxPerAddress: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxPerAccount: 5, maxPerAddress: 30, windowMs: 15 * 60_000 };

export class SignInThrottle {
  constructor(
    private readonly store: AttemptStore = new MemoryAttemptStore(),
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
  ) {}

  isBlocked(email: string, address: string, now = Date.now()): boolean {
    const { windowMs, maxPerAccount, maxPerAddress } = this.options;
    return (
      this.store.failures(`acct:${email}`, windowMs, now) >= maxPerAccount ||
      this.store.failures(`addr:${address}`, windowMs, now) >= maxPerAddress
    );
  }

  fail(email: string, address: string, now = Date.now()): void {
    this.store.recordFailure(`acct:${email}`, now);
    this.store.recordFailure(`addr:${address}`, now);
  }

  succeed(email: string): void {
    this.store.reset(`acct:${email}`);
  }
}
