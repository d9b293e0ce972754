import { decryptSecret } from "../../crypto/secret-box";
import { DEFAULT_CHANNEL_TIMEOUT_MS, invalidateCatalog } from "./catalog";
import { getProvider } from "../providers";
import { readAll } from "../http/upstream-body";
import { newRequestId } from "../pipeline/request-context";
import { getGateway } from "../context";
import type { ChannelRecord, HotStore } from "../store";
import { logger } from "../../observability/log";

const log = logger("routing");

/**
 * Sends a channel the smallest possible request and reports whether it answered. Used by the
 * periodic re-test of auto-disabled channels and by the admin console's "test" button.
 */
export interface ChannelTestResult {
  ok: boolean;
  latencyMs: number;
  status: number | null;
  error: string | null;
}

/** What an OpenAI-compatible server answers a chat request for an embedding model with. */
const EMBEDDING_REFUSALS = new Set([400, 404, 405, 422]);

export async function testChannel(channel: ChannelRecord, timeoutMs = 30_000): Promise<ChannelTestResult> {
  const started = performance.now();
  const provider = getProvider(channel.type);
  const models = Array.isArray(channel.models) ? (channel.models as string[]) : [];
  const elapsed = () => Math.round(performance.now() - started);
  if (!provider) return { ok: false, latencyMs: 0, status: null, error: `Unknown channel type "${channel.type}"` };
  if (!models.length) return { ok: false, latencyMs: 0, status: null, error: "The channel lists no models" };
  const mapping = (channel.modelMapping as Record<string, string> | null) ?? {};
  const model = mapping[models[0]!] ?? models[0]!;
  try {
    const call = {
      channel: {
        id: channel.id,
        name: channel.name,
        type: channel.type,
        baseUrl: channel.baseUrl,
        apiKey: channel.apiKeyEnc ? decryptSecret(channel.apiKeyEnc) : null,
        timeoutMs: Math.min(channel.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS, timeoutMs),
        config: (channel.config as Record<string, unknown> | null) ?? null,
      },
      stream: false,
      signal: AbortSignal.timeout(timeoutMs),
      requestId: newRequestId(),
    };
    let response = await provider.chatCompletions({ ...call, body: { model, messages: [{ role: "user", content: "ping" }], max_tokens: 1 } });
    let body = Buffer.from(await readAll(response.body)).toString("utf8");
    // An embedding model refuses a chat request: the channel is fine if it embeds.
    if (provider.embeddings && EMBEDDING_REFUSALS.has(response.status)) {
      const embedded = await provider.embeddings({ ...call, body: { model, input: "ping" } });
      const embeddedBody = Buffer.from(await readAll(embedded.body)).toString("utf8");
      if (embedded.status >= 200 && embedded.status < 300) [response, body] = [embedded, embeddedBody];
    }
    if (response.status >= 200 && response.status < 300) return { ok: true, latencyMs: elapsed(), status: response.status, error: null };
    return { ok: false, latencyMs: elapsed(), status: response.status, error: `HTTP ${response.status}: ${body.slice(0, 300)}` };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), status: null, error: (error as Error).message || "request failed" };
  }
}

/** Re-tests every auto-disabled channel once; those that answer are enabled again. */
export async function retestDisabledChannels(store: HotStore): Promise<void> {
  const channels = await store.channels("AUTO_DISABLED");
  for (const channel of channels) {
    const result = await testChannel(channel);
    const now = new Date();
    if (result.ok) {
      await store.updateChannelHealth(channel.id, { status: "ENABLED", consecutiveFailures: 0, disabledReason: null, lastCheckedAt: now, lastLatencyMs: result.latencyMs });
      invalidateCatalog();
      getGateway().health.forget(channel.id);
      log.info({ event: "channel.reenabled", channelId: channel.id, channel: channel.name, latencyMs: result.latencyMs }, "Channel answers again; re-enabled");
    } else {
      await store.updateChannelHealth(channel.id, { lastCheckedAt: now, lastError: result.error?.slice(0, 1000) ?? null, lastErrorAt: now });
    }
  }
}

export function startChannelRetests(store: () => HotStore, everyMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    retestDisabledChannels(store())
      .catch((error: unknown) => log.error({ event: "channel.retest_failed", err: error }, "Channel re-test failed"))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
