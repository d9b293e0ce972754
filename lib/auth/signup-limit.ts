import { UserError, apiMessage } from "../errors";
import { MemoryAttemptStore, type AttemptStore } from "./throttle";

/**
 * Sign-up throttling: each sign-up costs a password hash and creates an account, so one address may
 * make SIGNUP_LIMIT_PER_ADDRESS attempts (default 5) and the whole server SIGNUP_LIMIT_GLOBAL
 * (default 100) per SIGNUP_LIMIT_WINDOW_MINUTES (default 10). Counted before hashing, so refused
 * attempts cost nothing.
 */
export interface SignupLimits {
  perAddress: number;
  global: number;
  windowMs: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  return value && /^\d+$/.test(value.trim()) && Number(value) > 0 ? Number(value) : fallback;
}

export function signupLimitsFromEnv(env: Record<string, string | undefined> = process.env): SignupLimits {
  return {
    perAddress: positiveInt(env.SIGNUP_LIMIT_PER_ADDRESS, 5),
    global: positiveInt(env.SIGNUP_LIMIT_GLOBAL, 100),
    windowMs: positiveInt(env.SIGNUP_LIMIT_WINDOW_MINUTES, 10) * 60_000,
  };
}

export class SignupLimiter {
  constructor(
    private readonly limits: SignupLimits = signupLimitsFromEnv(),
    private readonly store: AttemptStore = new MemoryAttemptStore(),
  ) {}

  /** Counts one attempt from `address`, or throws a 429 when it is over a limit (and then counts nothing). */
  take(address: string, now = Date.now()): void {
    const { perAddress, global, windowMs } = this.limits;
    if (this.store.failures(`addr:${address}`, windowMs, now) >= perAddress) {
      throw new UserError("Too many sign-ups from your network. Try again in a few minutes.", 429, "too_many_signups", undefined, apiMessage("tooManySignups"));
    }
    if (this.store.failures("global", windowMs, now) >= global) {
      throw new UserError("Sign-ups are busy right now. Try again in a few minutes.", 429, "signups_busy", undefined, apiMessage("signupsBusy"));
    }
    this.store.recordFailure(`addr:${address}`, now);
    this.store.recordFailure("global", now);
  }
}
