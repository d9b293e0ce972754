import { getDb } from "../db/client";
import { ChannelHealth } from "./routing/channel-health";
import { invalidateCatalog } from "./routing/catalog";
import { readGatewayConfig, type GatewayConfig } from "./config";
import { DEFAULT_LEASE_OPTIONS, FundsLeases } from "./funds/leases";
import { MemoryRateLimiter, type RateLimiter } from "./limits/rate-limit";
import { RedisRateLimiter } from "./limits/rate-limit-redis";
import { SettlementQueue } from "./funds/settlement";
import { getHotStore, type HotStore } from "./store";

/** The process-wide parts of the gateway, built on first use. */
export interface Gateway {
  store: () => HotStore;
  config: GatewayConfig;
  limiter: RateLimiter;
  leases: FundsLeases;
  settlements: SettlementQueue;
  health: ChannelHealth;
}

// On globalThis: the custom server and Next's bundled route handlers may load this module twice,
// and both must share one settlement queue and one set of counters.
const holder = globalThis as typeof globalThis & { __rootapiGateway?: Gateway };

export function getGateway(): Gateway {
  if (!holder.__rootapiGateway) {
    const config = readGatewayConfig();
    const leases = new FundsLeases(getHotStore, { ...DEFAULT_LEASE_OPTIONS, ttlMs: config.leaseTtlMs });
    leases.start();
    holder.__rootapiGateway = {
      store: getHotStore,
      config,
      // Several instances share their counters through Redis; one keeps them in memory.
      limiter: process.env.REDIS_URL ? new RedisRateLimiter(process.env.REDIS_URL) : new MemoryRateLimiter(),
      leases,
      settlements: new SettlementQueue(getHotStore, getDb, leases),
      health: new ChannelHealth(getHotStore, { failureThreshold: config.channelFailureThreshold }, invalidateCatalog),
    };
  }
  return holder.__rootapiGateway;
}
