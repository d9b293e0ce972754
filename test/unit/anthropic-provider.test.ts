import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Message, MessageCountTokensParams } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { accumulate, answerJson as scriptedJson, answerStream as scriptedStream, pieces, text, useScriptedServer, type ScriptedHandler } from "../helpers/scripted-server";
import type { RoutedChannel } from "@/lib/gateway/routing/catalog";
import type { ChannelHealth } from "@/lib/gateway/routing/channel-health";
import { parseNewChannel } from "@/lib/channels/channel-body";
import { validateChannel, withDefaultBaseUrl } from "@/lib/channels/channels";
import { testChannel } from "@/lib/gateway/routing/channel-test";
import { getProvider } from "@/lib/gateway/providers";
import { anthropicProvider, ANTHROPIC_DEFAULT_BASE_URL, DEFAULT_MAX_TOKENS } from "@/lib/gateway/providers/anthropic";
import { anthropicUrl } from "@/lib/gateway/providers/anthropic/api";
import { UpstreamConnectionError, type ChannelConfig, type ChatCompletionCall, type MessagesCall, type Provider } from "@/lib/gateway/providers/types";
import { relay } from "@/lib/gateway/pipeline/relay";
import { AnthropicStreamError } from "@/lib/gateway/translate/anthropic/message-events-to-chat-chunks";
import { readAll, relayedError } from "@/lib/gateway/http/upstream-body";
import { THINKING_TEXT_TOOL_EVENTS } from "./fixtures/anthropic/message-events";
import { ANTHROPIC_MESSAGE, OVERLOADED_AFTER_200, sse, TEXT_THEN_ERROR } from "./fixtures/anthropic/upstream-answers";

/**
 * The `anthropic` channel type against a local server that answers like Anthropic's API: what goes
 * up (URL, headers, bytes) and what comes back (native bytes unchanged; chat translations; errors
 * sent after HTTP 200 turned into statuses the relay fails over on; timeouts).
 */

let handler: ScriptedHandler = (_req, res) => void res.writeHead(500).end();
const upstream = useScriptedServer((req, res) => handler(req, res));
const seen = upstream.seen;


function channel(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return { id: "ch-anthropic", name: "claude", type: "anthropic", baseUrl: upstream.origin, apiKey: "sk-ant-channel-key", timeoutMs: 5_000, config: null, ...overrides };
}

function chatCall(body: Record<string, unknown>, overrides: Partial<ChatCompletionCall> = {}): ChatCompletionCall {
  return { channel: channel(), body, stream: body.stream === true, signal: new AbortController().signal, requestId: "req_test", ...overrides };
}

function messagesCall(body: Record<string, unknown>, overrides: Partial<MessagesCall> = {}): MessagesCall {
  return { channel: channel(), body, stream: body.stream === true, signal: new AbortController().signal, requestId: "req_test", headers: {}, ...overrides };
}


const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}) => scriptedJson(status, body, { "content-type": "application/json", "request-id": "req_upstream_1", ...headers });
const answerStream = (parts: string[], gapMs = 0) => scriptedStream(parts, gapMs, { "content-type": "text/event-stream; charset=utf-8", "request-id": "req_upstream_1", "anthropic-ratelimit-requests-remaining": "49" });


const THINKING_STREAM = sse(THINKING_TEXT_TOOL_EVENTS);

describe("anthropic provider: registration and URLs", () => {
  it("is the `anthropic` channel type, with a base URL defaulting to Anthropic's origin", () => {
    expect(getProvider("anthropic")).toBe(anthropicProvider);
    expect(anthropicProvider).toMatchObject({ needsBaseUrl: true, timesOut: true, defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL });
    expect(ANTHROPIC_DEFAULT_BASE_URL).toBe("https://api.anthropic.com");
  });

  it("a new or edited channel without a base URL gets Anthropic's origin (admin body and CLI alike); openai still needs one", () => {
    const fromAdmin = withDefaultBaseUrl(parseNewChannel({ name: "claude", type: "anthropic", baseUrl: "", apiKey: "k", models: "claude-x" }));
    expect(fromAdmin.baseUrl).toBe("https://api.anthropic.com");
    expect(() => validateChannel(fromAdmin)).not.toThrow();
    expect(withDefaultBaseUrl({ name: "p", type: "anthropic", baseUrl: "http://proxy.example", models: ["m"] }).baseUrl).toBe("http://proxy.example");
    const openai = withDefaultBaseUrl({ name: "o", type: "openai", baseUrl: null, models: ["m"] });
    expect(openai.baseUrl).toBeNull();
    expect(() => validateChannel(openai)).toThrow("Base URL is required");
  });

  it("joins the origin as the SDKs take it, tolerating a trailing slash or /v1", () => {
    for (const base of ["https://api.anthropic.com", "https://api.anthropic.com/", "https://api.anthropic.com/v1", "https://api.anthropic.com/v1/", null]) {
      expect(anthropicUrl(base, "/v1/messages")).toBe("https://api.anthropic.com/v1/messages");
    }
    expect(anthropicUrl("https://proxy.example/anthropic/v1/", "/v1/messages/count_tokens")).toBe("https://proxy.example/anthropic/v1/messages/count_tokens");
    expect(anthropicUrl("https://proxy.example/anthropic", "/v1/messages")).toBe("https://proxy.example/anthropic/v1/messages");
  });

  it("calls {base}/v1/messages whichever base form the channel has", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    for (const baseUrl of [upstream.origin, `${upstream.origin}/`, `${upstream.origin}/v1`, `${upstream.origin}/v1/`]) {
      const response = await anthropicProvider.chatCompletions(chatCall({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] }, { channel: channel({ baseUrl }) }));
      expect(response.status).toBe(200);
      await text(response);
    }
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(Array(4).fill("POST /v1/messages"));
  });
});

describe("anthropic provider: headers", () => {
  it("sends the channel key as x-api-key with the API version, never an Authorization header", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    const response = await anthropicProvider.chatCompletions(chatCall({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] }, { channel: channel({ config: { headers: { "X-Org-Tag": "team-a" } } }) }));
    await text(response);
    const { headers } = seen[0]!;
    expect(headers["x-api-key"]).toBe("sk-ant-channel-key");
    expect(headers["anthropic-version"]).toBe("2023-06-01");
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["x-org-tag"]).toBe("team-a");
    expect(headers.authorization).toBeUndefined();
    expect(headers["anthropic-beta"]).toBeUndefined();
  });

  it("native calls carry the client's anthropic-version and anthropic-beta (joined with the channel's betas)", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    const call = messagesCall(
      { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] },
      {
        channel: channel({ config: { headers: { "anthropic-beta": "context-1m-2025-08-07" } } }),
        headers: { "anthropic-version": "2023-06-01-next", "anthropic-beta": "interleaved-thinking-2025-05-14,context-1m-2025-08-07" },
      },
    );
    await text(await anthropicProvider.messages!(call));
    const { headers } = seen[0]!;
    expect(headers["anthropic-version"]).toBe("2023-06-01-next");
    expect(headers["anthropic-beta"]).toBe("context-1m-2025-08-07,interleaved-thinking-2025-05-14");
    expect(headers["x-api-key"]).toBe("sk-ant-channel-key");
    expect(headers.authorization).toBeUndefined();
  });

  it("relays content-type, request-id and the rate-limit headers", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE, { "anthropic-ratelimit-tokens-remaining": "9000", "x-internal": "no" });
    const response = await anthropicProvider.messages!(messagesCall({ model: "m", max_tokens: 1, messages: [] }));
    await text(response);
    expect(response.headers).toEqual({ "content-type": "application/json", "request-id": "req_upstream_1", "anthropic-ratelimit-tokens-remaining": "9000" });
  });
});

describe("anthropic provider: native Messages", () => {
  it("forwards the client's bytes and returns the answer's bytes unchanged", async () => {
    const answer = `{ "id":"msg_1",  "type":"message","role":"assistant","content":[{"type":"text","text":"héllo"}],"model":"claude-x","stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":1}}\n`;
    handler = answerJson(200, answer);
    const rawBody = new TextEncoder().encode(`{"model":"claude-x",  "max_tokens":16,"messages":[{"role":"user","content":"héllo"}]}`);
    const response = await anthropicProvider.messages!(messagesCall({ model: "claude-x" }, { rawBody }));
    expect(response.status).toBe(200);
    expect(await text(response)).toBe(answer);
    expect(seen[0]!.url).toBe("/v1/messages");
    expect(Buffer.compare(seen[0]!.body, Buffer.from(rawBody))).toBe(0);
  });

  it("serialises the body when there are no raw bytes", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    const body = { model: "claude-upstream", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] };
    await text(await anthropicProvider.messages!(messagesCall(body)));
    expect(JSON.parse(seen[0]!.body.toString("utf8"))).toEqual(body);
  });

  it("relays a stream byte for byte, however it is cut, including what was read ahead", async () => {
    for (const size of [7, 100, THINKING_STREAM.length]) {
      handler = answerStream(pieces(THINKING_STREAM, size));
      const response = await anthropicProvider.messages!(messagesCall({ model: "claude-x", max_tokens: 64, stream: true, messages: [] }));
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
      expect(await text(response)).toBe(THINKING_STREAM);
    }
  });

  it("waits past message_start and ping for the first content before answering", async () => {
    const [start, ping, ...rest] = THINKING_TEXT_TOOL_EVENTS;
    handler = answerStream([sse([start!]), sse([ping!]), sse(rest)], 150);
    const began = Date.now();
    const response = await anthropicProvider.messages!(messagesCall({ model: "claude-x", max_tokens: 64, stream: true, messages: [] }));
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(await text(response)).toBe(THINKING_STREAM);
  });

  it("an error event after HTTP 200 and before content becomes that error's status with Anthropic's body", async () => {
    handler = answerStream([OVERLOADED_AFTER_200]);
    const overloaded = await anthropicProvider.messages!(messagesCall({ model: "claude-x", max_tokens: 64, stream: true, messages: [] }));
    expect(overloaded.status).toBe(529);
    expect(JSON.parse(await text(overloaded))).toEqual({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });

    handler = answerStream([sse([THINKING_TEXT_TOOL_EVENTS[0]!, { type: "error", error: { type: "api_error", message: "Internal server error" } }])]);
    const failed = await anthropicProvider.messages!(messagesCall({ model: "claude-x", max_tokens: 64, stream: true, messages: [] }));
    expect(failed.status).toBe(500);
    expect(JSON.parse(await text(failed))).toEqual({ type: "error", error: { type: "api_error", message: "Internal server error" } });
  });

  it("relays an error status and body unchanged; relayedError reads Anthropic's shape", async () => {
    const body = { type: "error", error: { type: "invalid_request_error", message: "max_tokens: Field required" }, request_id: "req_011" };
    handler = answerJson(400, body);
    const response = await anthropicProvider.messages!(messagesCall({ model: "claude-x", messages: [] }));
    expect(response.status).toBe(400);
    const bytes = await readAll(response.body);
    expect(JSON.parse(Buffer.from(bytes).toString("utf8"))).toEqual(body);
    expect(relayedError(400, bytes)).toEqual({ body: bytes, code: "invalid_request_error", message: "max_tokens: Field required" });
  });

  it("count_tokens goes to /v1/messages/count_tokens with the client's bytes", async () => {
    handler = answerJson(200, '{"input_tokens":14}');
    const request: MessageCountTokensParams = { model: "claude-x", messages: [{ role: "user", content: "Hello, Claude" }] };
    const rawBody = new TextEncoder().encode(JSON.stringify(request));
    const response = await anthropicProvider.countTokens!(messagesCall(request as unknown as Record<string, unknown>, { rawBody, headers: { "anthropic-beta": "token-counting-2024-11-01" } }));
    expect(response.status).toBe(200);
    expect(await text(response)).toBe('{"input_tokens":14}');
    expect(seen[0]!.url).toBe("/v1/messages/count_tokens");
    expect(seen[0]!.headers["anthropic-beta"]).toBe("token-counting-2024-11-01");
    expect(seen[0]!.body.toString("utf8")).toBe(JSON.stringify(request));
  });
});

describe("anthropic provider: chat completions, translated", () => {
  const chat = { model: "claude-sonnet-4-5", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Weather in Paris?" }] };

  it("sends a Messages request (max_tokens defaulted) and answers with a chat completion", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    const response = await anthropicProvider.chatCompletions(chatCall(chat));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen[0]!.body.toString("utf8"))).toEqual({ model: "claude-sonnet-4-5", max_tokens: DEFAULT_MAX_TOKENS, system: "Be brief.", messages: [{ role: "user", content: [{ type: "text", text: "Weather in Paris?" }] }] });
    const completion = JSON.parse(await text(response));
    expect(completion).toMatchObject({
      id: "chatcmpl-01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion",
      model: "claude-sonnet-4-5-20250929",
      choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: "Let me check.", tool_calls: [{ id: "toolu_01A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] } }],
    });
    expect(completion.usage.prompt_tokens).toBe(20 + 1000 + 300);
    expect(completion.usage.completion_tokens).toBe(60);
  });

  it("the client's max_tokens wins over the default", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    await text(await anthropicProvider.chatCompletions(chatCall({ ...chat, max_tokens: 1 })));
    expect(JSON.parse(seen[0]!.body.toString("utf8")).max_tokens).toBe(1);
  });

  it("streams chat chunks ending in [DONE], with the usage chunk asked for; the openai SDK accumulates them", async () => {
    handler = answerStream(pieces(THINKING_STREAM, 40));
    const response = await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true, stream_options: { include_usage: true } }));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(JSON.parse(seen[0]!.body.toString("utf8"))).toMatchObject({ stream: true, max_tokens: DEFAULT_MAX_TOKENS });
    expect(seen[0]!.headers.accept).toBe("text/event-stream");

    const bytes = Buffer.from(await readAll(response.body)).toString("utf8");
    const events = bytes.split("\n\n").filter(Boolean);
    expect(events.every((e) => e.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    const usage = JSON.parse(events.at(-2)!.slice(6));
    expect(usage).toMatchObject({ object: "chat.completion.chunk", choices: [], usage: { completion_tokens: 89 } });

    handler = answerStream(pieces(THINKING_STREAM, 40));
    const completion = await accumulate(await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true, stream_options: { include_usage: true } })));
    expect(completion.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: { role: "assistant", content: "Let me check.", tool_calls: [{ id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } }] },
    });
    expect(completion.usage?.completion_tokens).toBe(89);
  });

  it("no usage chunk when the body did not ask for one", async () => {
    handler = answerStream([THINKING_STREAM]);
    const events = (await text(await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true })))).split("\n\n").filter(Boolean);
    expect(events.some((e) => e.includes('"usage"'))).toBe(false);
    expect(JSON.parse(events.at(-2)!.slice(6)).choices[0].finish_reason).toBe("tool_calls");
  });

  it("an error event after HTTP 200 and before content becomes a 529 / 500 (OpenAI-shaped)", async () => {
    handler = answerStream(pieces(OVERLOADED_AFTER_200, 30));
    const overloaded = await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true }));
    expect(overloaded.status).toBe(529);
    expect(JSON.parse(await text(overloaded))).toEqual({ error: { message: "Overloaded", type: "overloaded_error", param: null, code: "overloaded_error" } });

    handler = answerStream([sse([{ type: "error", error: { type: "api_error", message: "Internal server error" } }])]);
    expect((await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true }))).status).toBe(500);
    handler = answerStream([sse([{ type: "error", error: { type: "rate_limit_error", message: "Slow down" } }])]);
    expect((await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true }))).status).toBe(429);
  });

  it("an error event mid-stream makes the body iterator throw after what came before", async () => {
    handler = answerStream([TEXT_THEN_ERROR]);
    const response = await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true }));
    expect(response.status).toBe(200);
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of response.body) received.push(Buffer.from(chunk).toString("utf8"));
      })(),
    ).rejects.toThrow(AnthropicStreamError);
    expect(received.join("")).toContain('"content":"Hello"');
    expect(received.join("")).not.toContain("[DONE]");
  });

  it("a stream cut off before message_stop ends without [DONE]", async () => {
    handler = answerStream([sse(THINKING_TEXT_TOOL_EVENTS.slice(0, 6))]);
    const body = await text(await anthropicProvider.chatCompletions(chatCall({ ...chat, stream: true })));
    expect(body).toContain("reasoning_content");
    expect(body).not.toContain("[DONE]");
  });

  it("an Anthropic error status comes back with the status and an OpenAI-shaped body relayedError passes on", async () => {
    handler = answerJson(400, { type: "error", error: { type: "invalid_request_error", message: "messages: at least one message is required" } }, { "retry-after": "3" });
    const response = await anthropicProvider.chatCompletions(chatCall(chat));
    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject({ "content-type": "application/json", "retry-after": "3", "request-id": "req_upstream_1" });
    const bytes = await readAll(response.body);
    const body = { error: { message: "messages: at least one message is required", type: "invalid_request_error", param: null, code: "invalid_request_error" } };
    expect(JSON.parse(Buffer.from(bytes).toString("utf8"))).toEqual(body);
    expect(relayedError(400, bytes)).toMatchObject({ code: "invalid_request_error", message: "messages: at least one message is required" });

    handler = answerJson(502, "<html>bad gateway</html>");
    const html = await anthropicProvider.chatCompletions(chatCall(chat));
    expect(html.status).toBe(502);
    expect(await text(html)).toBe("<html>bad gateway</html>");
  });

  it("a request Messages cannot carry is a 400 without calling the upstream", async () => {
    const response = await anthropicProvider.chatCompletions(chatCall({ ...chat, n: 2 }));
    expect(response.status).toBe(400);
    expect(JSON.parse(await text(response)).error).toMatchObject({ type: "invalid_request_error", param: "n" });
    expect(seen).toHaveLength(0);
  });
});

describe("anthropic provider: timeouts and connection errors", () => {
  it("a silent upstream times out (kind timeout) after the channel timeout", async () => {
    handler = () => {};
    const began = Date.now();
    const error = await anthropicProvider.chatCompletions(chatCall({ model: "m", messages: [{ role: "user", content: "Hi" }] }, { channel: channel({ timeoutMs: 200 }) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamConnectionError);
    expect((error as UpstreamConnectionError).kind).toBe("timeout");
    expect(Date.now() - began).toBeLessThan(2_000);
  });

  it("a stream that only pings counts as timed out once the channel timeout passes", async () => {
    const start = sse([THINKING_TEXT_TOOL_EVENTS[0]!]);
    handler = answerStream([start, ...Array(40).fill(sse([{ type: "ping" }]))], 50);
    for (const send of [
      (c: ChannelConfig) => anthropicProvider.messages!(messagesCall({ model: "m", max_tokens: 8, stream: true, messages: [] }, { channel: c })),
      (c: ChannelConfig) => anthropicProvider.chatCompletions(chatCall({ model: "m", stream: true, messages: [{ role: "user", content: "Hi" }] }, { channel: c })),
    ]) {
      const began = Date.now();
      const error = await send(channel({ timeoutMs: 300 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamConnectionError);
      expect((error as UpstreamConnectionError).kind).toBe("timeout");
      expect(Date.now() - began).toBeLessThan(1_500);
    }
  });

  it("a refused connection is kind connect; the client's abort is kind aborted", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await anthropicProvider.chatCompletions(chatCall({ model: "m", messages: [] }, { channel: channel({ baseUrl: `http://127.0.0.1:${port}` }) })).catch((e: unknown) => e);
    expect((refused as UpstreamConnectionError).kind).toBe("connect");

    handler = () => {};
    const client = new AbortController();
    setTimeout(() => client.abort(), 50);
    const aborted = await anthropicProvider.messages!(messagesCall({ model: "m", stream: true, messages: [] }, { signal: client.signal })).catch((e: unknown) => e);
    expect((aborted as UpstreamConnectionError).kind).toBe("aborted");
  });
});

describe("anthropic channels in the relay and the channel test", () => {
  const health = { failed: () => {}, succeeded: () => {}, anyCooling: false, coolingFor: () => 0, coolDown: () => {} } as unknown as ChannelHealth;
  const routed = (id: string, baseUrl: string): RoutedChannel => ({ ...channel({ id, name: id, baseUrl }), priority: 0, weight: 1, modelMapping: {}, models: ["m"], supportsResponses: false });

  it("fails over from a channel that sent overloaded_error after HTTP 200 to the next one", async () => {
    handler = (req, res) => (req.url!.startsWith("/busy/") ? answerStream([OVERLOADED_AFTER_200]) : answerStream([THINKING_STREAM]))(req, res);
    const failures: string[] = [];
    const result = await relay({
      channels: [routed("busy", `${upstream.origin}/busy`), routed("ok", upstream.origin)],
      maxAttempts: 2,
      provider: getProvider,
      health: { ...health, failed: (id: string, message: string) => failures.push(`${id}: ${message}`) } as unknown as ChannelHealth,
      signal: new AbortController().signal,
      send: (provider, c, signal) => provider.chatCompletions(chatCall({ model: "m", stream: true, messages: [{ role: "user", content: "Hi" }] }, { channel: c, signal })),
    });
    expect(result).toMatchObject({ attempts: 2, channel: { id: "ok" } });
    expect(failures).toEqual(["busy: HTTP 529: Overloaded"]);
    expect(await text(result.response)).toContain("[DONE]");
  });

  it("treats a plain 529 as retryable", async () => {
    const answers = [529, 200];
    const provider: Provider = {
      type: "x",
      needsBaseUrl: false,
      timesOut: true,
      chatCompletions: async () => ({ status: answers.shift()!, headers: {}, body: (async function* () {})(), discard: () => {} }),
    };
    const result = await relay({ channels: [routed("a", upstream.origin), routed("b", upstream.origin)], maxAttempts: 2, provider: () => provider, health, signal: new AbortController().signal, send: (p) => p.chatCompletions({} as never) });
    expect(result).toMatchObject({ attempts: 2, channel: { id: "b" }, response: { status: 200 } });
  });

  it("the channel test sends a one-token chat request through the translation", async () => {
    handler = answerJson(200, ANTHROPIC_MESSAGE);
    const record = { id: "c1", name: "claude", type: "anthropic", baseUrl: upstream.origin, apiKeyEnc: null, models: ["claude-public"], modelMapping: { "claude-public": "claude-sonnet-4-5" }, config: null, priority: 0, weight: 1, timeoutMs: 5_000, supportsResponses: false, createdAt: new Date() };
    const result = await testChannel(record);
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(seen[0]!.url).toBe("/v1/messages");
    expect(JSON.parse(seen[0]!.body.toString("utf8"))).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 1, messages: [{ role: "user", content: [{ type: "text", text: "ping" }] }] });

    handler = answerJson(401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
    const refused = await testChannel(record);
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.error).toContain("invalid x-api-key");
  });
});

// Keeps the fixture honest: it is a Message as the SDK types it.
const _typed: Message = ANTHROPIC_MESSAGE;
void _typed;
