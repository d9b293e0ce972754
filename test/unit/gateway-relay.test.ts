import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoutedChannel } from "@/lib/gateway/routing/catalog";
import type { ChannelHealth } from "@/lib/gateway/routing/channel-health";
import { GatewayError } from "@/lib/gateway/pipeline/errors";
import { openaiProvider } from "@/lib/gateway/providers/openai";
import type { Provider, UpstreamResponse } from "@/lib/gateway/providers/types";
import { ClientGone, relay } from "@/lib/gateway/pipeline/relay";

/**
 * The relay's timeouts: a provider that enforces the channel timeout itself (the openai adapter,
 * through undici's headersTimeout) gets the client's signal as it is; any other provider gets a
 * per-attempt signal that a timer aborts.
 */
const health = { failed: () => {}, succeeded: () => {}, anyCooling: false, coolingFor: () => 0, coolDown: () => {} } as unknown as ChannelHealth;

function channel(overrides: Partial<RoutedChannel>): RoutedChannel {
  return { id: "ch", name: "ch", type: "openai", baseUrl: null, apiKey: null, timeoutMs: 30_000, config: null, priority: 0, weight: 1, modelMapping: {}, models: ["m"], supportsResponses: false, ...overrides };
}

const okResponse = (): UpstreamResponse => ({ status: 200, headers: {}, body: (async function* () {})(), discard: () => {} });

describe("relay timeouts", () => {
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    // Answers nothing for 2 s: longer than the channel timeouts below.
    server = http.createServer((_req, res) => void setTimeout(() => res.end("{}"), 2_000).unref());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("passes the client's signal straight to a provider that times out on its own", async () => {
    const client = new AbortController();
    const seen: AbortSignal[] = [];
    const provider: Provider = { type: "x", needsBaseUrl: false, timesOut: true, chatCompletions: async () => okResponse() };
    const result = await relay({
      channels: [channel({ type: "x" })],
      maxAttempts: 1,
      provider: () => provider,
      health,
      signal: client.signal,
      send: async (p, _c, signal) => (seen.push(signal), p.chatCompletions({} as never)),
    });
    expect(result.attempts).toBe(1);
    expect(seen[0]).toBe(client.signal);
  });

  it("arms a timer for other providers: a silent upstream fails with 504 after the channel timeout", async () => {
    const client = new AbortController();
    const provider: Provider = {
      type: "slow",
      needsBaseUrl: false,
      chatCompletions: (call) => new Promise((_resolve, reject) => call.signal.addEventListener("abort", () => reject(new Error("aborted")))),
    };
    const started = Date.now();
    const error = await relay({
      channels: [channel({ type: "slow", timeoutMs: 100 })],
      maxAttempts: 1,
      provider: () => provider,
      health,
      signal: client.signal,
      send: (p, c, signal) => p.chatCompletions({ channel: c, body: {}, stream: false, signal, requestId: "r" }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(client.signal.aborted).toBe(false);
  });

  it("times out an openai channel through undici's headersTimeout (504), and a client abort is ClientGone", async () => {
    const send = (signal: AbortSignal, c: RoutedChannel) => openaiProvider.chatCompletions({ channel: c, body: { model: "m" }, stream: false, signal, requestId: "r" });
    const slow = channel({ baseUrl: url, timeoutMs: 150 });
    const timedOut = await relay({ channels: [slow], maxAttempts: 1, provider: () => openaiProvider, health, signal: new AbortController().signal, send: (_p, c, s) => send(s, c) }).catch((e: unknown) => e);
    expect((timedOut as GatewayError).status).toBe(504);
    expect((timedOut as GatewayError).message).toContain("timed out");

    const client = new AbortController();
    setTimeout(() => client.abort(), 50);
    const gone = await relay({ channels: [channel({ baseUrl: url, timeoutMs: 30_000 })], maxAttempts: 1, provider: () => openaiProvider, health, signal: client.signal, send: (_p, c, s) => send(s, c) }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ClientGone);
  });
});
