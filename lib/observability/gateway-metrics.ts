import type { Gateway } from "../gateway/context";
import { getCatalog } from "../gateway/routing/catalog";
import { enableMetrics } from "./metrics";
import { MetricsEndpoint, readMetricsConfig } from "./metrics-http";

/**
 * The /metrics endpoint of a server running the gateway: its scrape-time gauges read the
 * gateway's queue, leases, channel health and catalog.
 */
export function gatewayMetricsEndpoint(gw: Gateway, env: Record<string, string | undefined> = process.env): MetricsEndpoint {
  const endpoint = new MetricsEndpoint(readMetricsConfig(env));
  if (endpoint.enabled) {
    enableMetrics({
      settlementQueueDepth: () => gw.settlements.pending,
      leasesHeld: () => gw.leases.held,
      channelFailures: (channelId) => gw.health.failuresOf(channelId),
      refreshCatalog: async () => void (await getCatalog(gw.store())),
    });
  }
  return endpoint;
}
