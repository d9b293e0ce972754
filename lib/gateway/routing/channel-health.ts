import type { HotStore } from "../store";
import { logger } from "../../observability/log";

const log = logger("routing");

/**
 * Tracks consecutive failures per channel. A channel that fails FAILURE_THRESHOLD times in a row is
 * marked AUTO_DISABLED (with the reason, for admins) and leaves the routing catalog; a periodic
 * re-test brings it back once it answers again.
 *
 * A 429 is not a failure but back-pressure: the channel works, it is asked to slow down. It is
 * cooled down for its retry-after (skipped by routing meanwhile) and never disabled for it — else
 * one tenant's burst could take a shared channel offline for everyone.
 */
export interface ChannelHealthOptions {
  failureThreshold: number;
}

const DEFAULT_COOL_DOWN_SECONDS = 1;
const MAX_COOL_DOWN_SECONDS = 60;

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); NaN when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number {
  if (!header) return Number.NaN;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? Number.NaN : (date - now) / 1000;
}

export class ChannelHealth {
  private readonly failures = new Map<string, number>();
  /** Channel id → when its cool-down ends (ms). */
  private readonly cooling = new Map<string, number>();

  constructor(
    private readonly store: () => HotStore,
    private readonly options: ChannelHealthOptions,
    private readonly onDisabled: () => void = () => {},
  ) {}

  /** Starts counting afresh (an admin re-enabled the channel, or a re-test brought it back). */
  forget(channelId: string): void {
    this.failures.delete(channelId);
  }

  /** Failures in a row since the channel's last success (this instance's count). */
  failuresOf(channelId: string): number {
    return this.failures.get(channelId) ?? 0;
  }

  succeeded(channelId: string): void {
    if (!this.failures.has(channelId)) return;
    this.failures.delete(channelId);
    void this.store()
      .updateChannelHealth(channelId, { consecutiveFailures: 0, lastCheckedAt: new Date() })
      .catch((error: unknown) => log.error({ event: "channel.health_write_failed", channelId, err: error }, "Recording channel success failed"));
  }

  /** The upstream answered 429: rest the channel for `retryAfterSeconds` (capped), counting no failure. */
  coolDown(channelId: string, retryAfterSeconds: number, now = Date.now()): void {
    const seconds = Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? Math.min(retryAfterSeconds, MAX_COOL_DOWN_SECONDS) : DEFAULT_COOL_DOWN_SECONDS;
    this.cooling.set(channelId, Math.max(this.cooling.get(channelId) ?? 0, now + seconds * 1000));
  }

  /** Whether any channel may be resting: routing looks no further when none is. */
  get anyCooling(): boolean {
    return this.cooling.size > 0;
  }

  /** Milliseconds left of the channel's cool-down (0 when it takes requests). */
  coolingFor(channelId: string, now = Date.now()): number {
    const until = this.cooling.get(channelId);
    if (until === undefined) return 0;
    if (until > now) return until - now;
    this.cooling.delete(channelId);
    return 0;
  }

  failed(channelId: string, reason: string): void {
    const count = (this.failures.get(channelId) ?? 0) + 1;
    this.failures.set(channelId, count);
    const disable = count >= this.options.failureThreshold;
    const now = new Date();
    void this.store()
      .updateChannelHealth(channelId, {
        consecutiveFailures: count,
        lastError: reason.slice(0, 1000),
        lastErrorAt: now,
        ...(disable ? { status: "AUTO_DISABLED", disabledReason: `Disabled automatically after ${count} consecutive failures. Last: ${reason}`.slice(0, 1000) } : {}),
      })
      .then(() => {
        if (disable) {
          this.failures.delete(channelId);
          log.warn({ event: "channel.auto_disabled", channelId, failures: count, reason: reason.slice(0, 300) }, "Channel disabled automatically after consecutive failures");
          this.onDisabled();
        }
      })
      .catch((error: unknown) => log.error({ event: "channel.health_write_failed", channelId, err: error }, "Recording channel failure failed"));
  }
}
