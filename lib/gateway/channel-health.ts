import type { HotStore } from "./store";

/**
 * Tracks consecutive failures per channel. A channel that fails FAILURE_THRESHOLD times in a row is
 * marked AUTO_DISABLED (with the reason, for admins) and leaves the routing catalog; a periodic
 * re-test brings it back once it answers again.
 */
export interface ChannelHealthOptions {
  failureThreshold: number;
}

export class ChannelHealth {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly store: () => HotStore,
    private readonly options: ChannelHealthOptions,
    private readonly onDisabled: () => void = () => {},
  ) {}

  /** Starts counting afresh (an admin re-enabled the channel, or a re-test brought it back). */
  forget(channelId: string): void {
    this.failures.delete(channelId);
  }

  succeeded(channelId: string): void {
    if (!this.failures.has(channelId)) return;
    this.failures.delete(channelId);
    void this.store()
      .updateChannelHealth(channelId, { consecutiveFailures: 0, lastCheckedAt: new Date() })
      .catch((error) => console.error("Recording channel success failed:", error));
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
          this.onDisabled();
        }
      })
      .catch((error) => console.error("Recording channel failure failed:", error));
  }
}
