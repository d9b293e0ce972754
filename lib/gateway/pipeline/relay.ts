import { retryAfterSeconds, type ChannelHealth } from "../routing/channel-health";
import type { RoutedChannel } from "../routing/catalog";
import { GatewayError, upstreamUnavailable } from "./errors";
import { UpstreamConnectionError, type Provider, type UpstreamResponse } from "../providers/types";
import { SIMULATED_HEADER } from "../providers/sandbox/wire";
import { tenantText } from "../tenant/tenant-text";
import { readAll } from "../http/upstream-body";
import { observeUpstreamTtfb } from "../../observability/metrics";

/**
 * Sends a request to the first channel that takes it, failing over on connection errors, timeouts,
 * 429, 5xx and channel-level auth failures (401/403: a misconfigured channel, not the caller's
 * fault). Other 4xx answers are the request's fault and are relayed as they are. Failover only
 * happens before anything was sent to the client: the caller commits to the response we return.
 */
export interface RelayResult {
  response: UpstreamResponse;
  channel: RoutedChannel;
  attempts: number;
}

export interface RelayOptions {
  channels: readonly RoutedChannel[];
  maxAttempts: number;
  provider: (type: string) => Provider | undefined;
  send: (provider: Provider, channel: RoutedChannel, signal: AbortSignal) => Promise<UpstreamResponse>;
  health: ChannelHealth;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /**
   * Once sent, the upstream call is not aborted when the client goes away: the upstream bills a
   * whole answer anyway, so we wait for it and bill it too. For answers that are not streamed (a
   * stream stops being generated, and billed, when it is cut).
   */
  detached?: boolean;
}

/** Never aborted: what a detached call gets instead of the client's signal. */
const NEVER = new AbortController().signal;

const RETRYABLE_STATUS = (status: number) => status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;

export async function relay(options: RelayOptions): Promise<RelayResult> {
  const { channels, maxAttempts, health, signal } = options;
  const upstreamSignal = options.detached ? NEVER : signal;
  let lastFailure: { kind: "status"; status: number; retryAfter: string | null; message: string } | { kind: "timeout" | "connect"; message: string } | null = null;
  let attempts = 0;

  const ready = health.anyCooling ? channels.filter((channel) => health.coolingFor(channel.id) === 0) : channels;
  if (!ready.length && channels.length) {
    const wait = Math.ceil(Math.min(...channels.map((channel) => health.coolingFor(channel.id))) / 1000);
    throw new GatewayError(429, "The upstream provider is rate limiting requests for this model; please retry shortly.", "requests", "upstream_rate_limited", null, {
      "retry-after": String(Math.max(1, wait)),
    });
  }

  for (const channel of ready.slice(0, Math.max(1, maxAttempts))) {
    if (signal.aborted) throw new ClientGone();
    const provider = options.provider(channel.type);
    if (!provider) {
      health.failed(channel.id, `Unknown channel type "${channel.type}"`);
      continue;
    }
    attempts++;
    // The channel timeout covers the wait for the answer to start; the client's abort covers it all.
    // A provider that enforces the timeout itself gets the client's signal as it is (no per-attempt
    // AbortController, listener and timer: measurable at thousands of requests per second).
    let attempt: AbortController | null = null;
    let abort: (() => void) | null = null;
    let timer: NodeJS.Timeout | null = null;
    let timedOut = false;
    if (!provider.timesOut) {
      const controller = (attempt = new AbortController());
      abort = () => controller.abort();
      if (!options.detached) signal.addEventListener("abort", abort, { once: true });
      timer = setTimeout(() => ((timedOut = true), controller.abort()), channel.timeoutMs);
    }
    let response: UpstreamResponse;
    const sentAt = performance.now();
    try {
      response = await options.send(provider, channel, attempt ? attempt.signal : upstreamSignal);
      observeUpstreamTtfb(channel.id, performance.now() - sentAt);
    } catch (error) {
      if (abort) signal.removeEventListener("abort", abort);
      if (signal.aborted) throw new ClientGone();
      timedOut ||= error instanceof UpstreamConnectionError && error.kind === "timeout";
      const message = timedOut ? `timed out after ${channel.timeoutMs} ms` : (error as Error).message || "connection failed";
      health.failed(channel.id, message);
      lastFailure = { kind: timedOut ? "timeout" : "connect", message: tenantText(message) };
      continue;
    } finally {
      if (timer) clearTimeout(timer);
    }
    // A failure the caller asked the sandbox to simulate is theirs to see, not a channel fault.
    if (RETRYABLE_STATUS(response.status) && !response.headers[SIMULATED_HEADER]) {
      const message = await errorMessageOf(response);
      if (response.status === 429) health.coolDown(channel.id, retryAfterSeconds(response.headers["retry-after"]));
      else health.failed(channel.id, `HTTP ${response.status}: ${message}`);
      lastFailure = { kind: "status", status: response.status, retryAfter: response.headers["retry-after"] ?? null, message: tenantText(message) };
      continue;
    }
    health.succeeded(channel.id);
    return { response, channel, attempts };
  }

  const tried = `${attempts} upstream attempt${attempts === 1 ? "" : "s"}`;
  if (!lastFailure) throw upstreamUnavailable("No upstream channel is available for this model right now.", 503);
  if (lastFailure.kind === "timeout") throw upstreamUnavailable(`The upstream timed out (${tried}).`, 504);
  if (lastFailure.kind === "status" && lastFailure.status === 429) {
    throw new GatewayError(429, `The upstream provider is rate limiting requests (${tried}): ${lastFailure.message}`, "requests", "upstream_rate_limited", null, {
      "retry-after": lastFailure.retryAfter ?? "1",
    });
  }
  const detail = lastFailure.kind === "status" ? `HTTP ${lastFailure.status}: ${lastFailure.message}` : lastFailure.message;
  throw upstreamUnavailable(`The upstream failed (${tried}); last error: ${detail}`, 502);
}

/**
 * The whole body of a relayed answer. An upstream that breaks off mid-body failed: a 502 that
 * counts against the channel's health (unless it was our client leaving that cut it).
 */
export async function readAnswer(result: RelayResult, health: ChannelHealth, clientSignal: AbortSignal): Promise<Uint8Array> {
  try {
    return await readAll(result.response.body);
  } catch (error) {
    if (clientSignal.aborted) throw new ClientGone();
    const reason = (error as Error).message || "connection lost";
    health.failed(result.channel.id, `Answer cut short: ${reason}`);
    throw upstreamUnavailable("The upstream's answer was cut short.", 502);
  }
}

/** The client disconnected before an answer started: nothing to send, nothing to retry. */
export class ClientGone extends Error {
  constructor() {
    super("client closed the request");
    this.name = "ClientGone";
  }
}

/** Reads a (small) error body for the message, releasing the connection. */
async function errorMessageOf(response: UpstreamResponse): Promise<string> {
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > 64 * 1024) break;
    }
    const text = Buffer.concat(chunks).toString("utf8");
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
      const message = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
      if (message) return message.slice(0, 500);
    } catch {
      // not JSON: use the text
    }
    return text.slice(0, 500) || "(empty body)";
  } catch {
    response.discard();
    return "(unreadable body)";
  }
}
