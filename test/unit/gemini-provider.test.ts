import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { accumulate, answerJson as scriptedJson, answerStream as scriptedStream, pieces, sleep, text, useScriptedServer, type ScriptedHandler } from "../helpers/scripted-server";
import type { RoutedChannel } from "@/lib/gateway/routing/catalog";
import type { ChannelHealth } from "@/lib/gateway/routing/channel-health";
import { parseNewChannel } from "@/lib/channels/channel-body";
import { validateChannel, withDefaultBaseUrl } from "@/lib/channels/channels";
import { testChannel } from "@/lib/gateway/routing/channel-test";
import { getProvider, PROVIDER_TYPES } from "@/lib/gateway/providers";
import { geminiProvider, GEMINI_DEFAULT_BASE_URL } from "@/lib/gateway/providers/gemini";
import { geminiUrl } from "@/lib/gateway/providers/gemini/api";
import { UpstreamConnectionError, type ChannelConfig, type ChatCompletionCall, type EmbeddingsCall, type UpstreamResponse } from "@/lib/gateway/providers/types";
import { relay } from "@/lib/gateway/pipeline/relay";
import { countTokens } from "@/lib/gateway/pipeline/tokens";
import { GeminiStreamError } from "@/lib/gateway/translate/gemini/gemini-stream-to-chat-chunks";
import { readAll, relayedError } from "@/lib/gateway/http/upstream-body";
import {
  API_KEY_INVALID,
  EMBED_ANSWER,
  INVALID_ARGUMENT,
  PERMISSION_DENIED,
  RESOURCE_EXHAUSTED,
  sse,
  TEXT_ANSWER,
  TEXT_STREAM_EVENTS,
  TOOL_ANSWER,
  TOOL_STREAM_EVENTS,
  UNAVAILABLE,
} from "./fixtures/gemini/upstream-answers";

/**
 * The `gemini` channel type against a local server that answers like Gemini's REST API: what goes
 * up (URL with the model and method, headers, translated JSON) and what comes back (chat JSON and
 * chunks; errors in OpenAI's shape with statuses the relay fails over on; embeddings; timeouts).
 */

let handler: ScriptedHandler = (_req, res) => void res.writeHead(500).end();
const upstream = useScriptedServer((req, res) => handler(req, res));
const seen = upstream.seen;


function channel(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return { id: "ch-gemini", name: "gemini", type: "gemini", baseUrl: upstream.origin, apiKey: "AIza-channel-key", timeoutMs: 5_000, config: null, ...overrides };
}

function chatCall(body: Record<string, unknown>, overrides: Partial<ChatCompletionCall> = {}): ChatCompletionCall {
  return { channel: channel(), body, stream: body.stream === true, signal: new AbortController().signal, requestId: "req_test", ...overrides };
}

function embeddingsCall(body: Record<string, unknown>, overrides: Partial<EmbeddingsCall> = {}): EmbeddingsCall {
  return { channel: channel(), body, stream: false, signal: new AbortController().signal, requestId: "req_test", ...overrides };
}

const json = async (response: UpstreamResponse) => JSON.parse(await text(response)) as Record<string, any>;
const sentJson = (i = 0) => JSON.parse(seen[i]!.body.toString("utf8")) as Record<string, any>;

const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}) => scriptedJson(status, body, { "content-type": "application/json; charset=UTF-8", "x-request-id": "up_1", ...headers });
const answerStream = (parts: string[], gapMs = 0) => scriptedStream(parts, gapMs, { "content-type": "text/event-stream", "x-request-id": "up_1" });


const chat = { model: "gemini-2.5-flash", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "How many r's in strawberry?" }] };

describe("gemini provider: registration, URLs and headers", () => {
  it("is the `gemini` channel type, with a base URL defaulting to Google's origin", () => {
    expect(getProvider("gemini")).toBe(geminiProvider);
    expect(PROVIDER_TYPES).toContain("gemini");
    expect(geminiProvider).toMatchObject({ needsBaseUrl: true, timesOut: true, defaultBaseUrl: GEMINI_DEFAULT_BASE_URL });
    expect(GEMINI_DEFAULT_BASE_URL).toBe("https://generativelanguage.googleapis.com");
    const fromAdmin = withDefaultBaseUrl(parseNewChannel({ name: "g", type: "gemini", baseUrl: "", apiKey: "k", models: "gemini-2.5-flash" }));
    expect(fromAdmin.baseUrl).toBe(GEMINI_DEFAULT_BASE_URL);
    expect(() => validateChannel(fromAdmin)).not.toThrow();
  });

  it("puts the model and method in the path, tolerating a trailing slash or /v1beta; streams ask for SSE", () => {
    for (const base of [GEMINI_DEFAULT_BASE_URL, `${GEMINI_DEFAULT_BASE_URL}/`, `${GEMINI_DEFAULT_BASE_URL}/v1beta`, `${GEMINI_DEFAULT_BASE_URL}/v1beta/`, null]) {
      expect(geminiUrl(base, "gemini-2.5-flash", "generateContent")).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    }
    expect(geminiUrl("https://proxy.example/google", "models/gemini-3-pro-preview", "streamGenerateContent")).toBe("https://proxy.example/google/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
    expect(geminiUrl(null, "gemini-embedding-001", "batchEmbedContents")).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents");
  });

  it("sends the key as x-goog-api-key, never as Authorization or in the query", async () => {
    handler = answerJson(200, TEXT_ANSWER);
    await text(await geminiProvider.chatCompletions(chatCall(chat, { channel: channel({ config: { headers: { Authorization: "Bearer leak", "X-Extra": "1" } } }) })));
    const { headers, url, method } = seen[0]!;
    expect(`${method} ${url}`).toBe("POST /v1beta/models/gemini-2.5-flash:generateContent");
    expect(headers["x-goog-api-key"]).toBe("AIza-channel-key");
    expect(headers.authorization).toBeUndefined();
    expect(headers["x-extra"]).toBe("1");
    expect(headers["content-type"]).toBe("application/json");
    expect(url).not.toContain("key=");
  });
});

describe("gemini provider: chat completions", () => {
  it("sends the translated request and answers with a chat completion (thoughts as reasoning, usage mapped)", async () => {
    handler = answerJson(200, TEXT_ANSWER);
    const response = await geminiProvider.chatCompletions(chatCall({ ...chat, max_tokens: 50, reasoning_effort: "low" }));
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ "content-type": "application/json", "x-request-id": "up_1" });
    expect(sentJson()).toEqual({
      contents: [{ role: "user", parts: [{ text: "How many r's in strawberry?" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 50, thinkingConfig: { thinkingBudget: 4096, includeThoughts: true } },
    });
    const body = await json(response);
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gemini-2.5-flash",
      choices: [{ message: { role: "assistant", content: 'There are three r\'s in "strawberry".', reasoning_content: expect.stringContaining("Counting letters") }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1210, completion_tokens: 144, total_tokens: 1354, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 133 } },
    });
  });

  it("streams chat chunks from streamGenerateContent?alt=sse, however the bytes are cut; the openai SDK accumulates them", async () => {
    handler = answerStream(pieces(sse(TOOL_STREAM_EVENTS), 37));
    const response = await geminiProvider.chatCompletions(chatCall({ ...chat, model: "gemini-3-pro-preview", stream: true, stream_options: { include_usage: true } }));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(seen[0]!.url).toBe("/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
    expect(seen[0]!.headers.accept).toBe("text/event-stream");
    const completion = await accumulate(response);
    expect(completion.choices[0]!.message).toMatchObject({ content: "Let me check the weather.", tool_calls: [{ function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' } }] });
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    expect(completion.usage).toMatchObject({ prompt_tokens: 70, completion_tokens: 110, prompt_tokens_details: { cached_tokens: 32 }, completion_tokens_details: { reasoning_tokens: 84 } });
  });

  it("each Gemini event goes out as it arrives, before the upstream has finished", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    handler = async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" }).flushHeaders();
      res.write(sse([TEXT_STREAM_EVENTS[0]]));
      await gate;
      res.end(sse([TEXT_STREAM_EVENTS[1]]));
    };
    const response = await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true, stream_options: { include_usage: true } }));
    const iterator = response.body[Symbol.asyncIterator]();
    const first = Buffer.from((await iterator.next()).value as Uint8Array).toString("utf8");
    expect(first).toContain('"content":"Hello"');
    expect(first).not.toContain("[DONE]");
    release();
    let rest = "";
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest += Buffer.from(next.value).toString("utf8");
    expect(rest).toContain('"content":" there!"');
    expect(rest).toMatch(/"finish_reason":"stop".*"usage":\{"prompt_tokens":4,"completion_tokens":3/s);
    expect(rest.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("the tool loop: the signature Gemini gave goes back with the call, the result as a functionResponse by name", async () => {
    handler = answerJson(200, TOOL_ANSWER);
    const first = await json(await geminiProvider.chatCompletions(chatCall({ model: "gemini-3-pro-preview", messages: [{ role: "user", content: "Weather?" }], tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }] })));
    const assistant = first.choices[0].message;
    expect(assistant.tool_calls[0].extra_content).toEqual({ google: { thought_signature: "CiQBcsjafGx0c2lnbmF0dXJlLTE=" } });
    handler = answerJson(200, TEXT_ANSWER);
    const messages = [{ role: "user", content: "Weather?" }, assistant, ...assistant.tool_calls.map((call: { id: string }, i: number) => ({ role: "tool", tool_call_id: call.id, content: `{"temp":${20 + i}}` }))];
    await text(await geminiProvider.chatCompletions(chatCall({ model: "gemini-3-pro-preview", messages })));
    expect(sentJson(1).contents).toEqual([
      { role: "user", parts: [{ text: "Weather?" }] },
      { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "CiQBcsjafGx0c2lnbmF0dXJlLTE=" }, { functionCall: { name: "get_weather", args: { city: "London" } } }] },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 20 } } }, { functionResponse: { name: "get_weather", response: { temp: 21 } } }] },
    ]);
  });

  it("a request Gemini cannot carry is a 400 without calling the upstream", async () => {
    const response = await geminiProvider.chatCompletions(chatCall({ ...chat, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/photo" } }] }] }));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ type: "invalid_request_error", param: "messages[0].content[0].image_url.url" });
    expect(seen).toHaveLength(0);
  });
});

describe("gemini provider: errors", () => {
  it("Gemini's error bodies come back with their status in OpenAI's shape, type and code from the status name", async () => {
    const cases: Array<[number, unknown, number, string, string]> = [
      [429, RESOURCE_EXHAUSTED, 429, "rate_limit_error", "RESOURCE_EXHAUSTED"],
      [503, UNAVAILABLE, 503, "api_error", "UNAVAILABLE"],
      [400, INVALID_ARGUMENT, 400, "invalid_request_error", "INVALID_ARGUMENT"],
      [403, PERMISSION_DENIED, 403, "permission_error", "PERMISSION_DENIED"],
      // A bad key is 400 at Gemini: here a 401, so the channel fails over and can be disabled.
      [400, API_KEY_INVALID, 401, "authentication_error", "API_KEY_INVALID"],
    ];
    for (const [upstream, body, status, type, code] of cases) {
      handler = answerJson(upstream, body, { "retry-after": "7" });
      const response = await geminiProvider.chatCompletions(chatCall(chat));
      expect(response.status).toBe(status);
      expect(response.headers).toMatchObject({ "content-type": "application/json", "retry-after": "7" });
      const bytes = await readAll(response.body);
      const error = JSON.parse(Buffer.from(bytes).toString("utf8")).error;
      expect(error).toEqual({ message: (body as { error: { message: string } }).error.message, type, param: null, code });
      expect(relayedError(status, bytes)).toMatchObject({ code, message: error.message });
    }
    // Gemini sends no retry-after header: its RetryInfo delay becomes one.
    handler = answerJson(429, RESOURCE_EXHAUSTED);
    expect((await geminiProvider.chatCompletions(chatCall(chat))).headers["retry-after"]).toBe("21");

    handler = answerJson(502, "<html>bad gateway</html>");
    const html = await geminiProvider.chatCompletions(chatCall(chat));
    expect(html.status).toBe(502);
    expect(await text(html)).toBe("<html>bad gateway</html>");
  });

  it("a 200 whose body is an error, or a stream whose first event is one, answers with that error's status", async () => {
    handler = answerJson(200, UNAVAILABLE);
    const plain = await geminiProvider.chatCompletions(chatCall(chat));
    expect(plain.status).toBe(503);
    expect((await json(plain)).error.code).toBe("UNAVAILABLE");

    handler = answerStream([sse([RESOURCE_EXHAUSTED])]);
    const stream = await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true }));
    expect(stream.status).toBe(429);
    expect((await json(stream)).error).toMatchObject({ type: "rate_limit_error", code: "RESOURCE_EXHAUSTED" });

    handler = answerStream([sse([{ error: { message: "Internal error encountered.", status: "INTERNAL" } }])]);
    expect((await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true }))).status).toBe(500);
  });

  it("an error mid-stream throws after what came before; a stream cut off before a finishReason ends without [DONE]", async () => {
    handler = answerStream([sse([TEXT_STREAM_EVENTS[0], UNAVAILABLE])]);
    const response = await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true }));
    expect(response.status).toBe(200);
    const got: string[] = [];
    const error = await (async () => {
      for await (const chunk of response.body) got.push(Buffer.from(chunk).toString("utf8"));
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeminiStreamError);
    expect((error as GeminiStreamError).status).toBe("UNAVAILABLE");
    expect(got.join("")).toContain('"content":"Hello"');

    handler = answerStream([sse([TEXT_STREAM_EVENTS[0]])]);
    const cut = await text(await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true })));
    expect(cut).toContain("Hello");
    expect(cut).not.toContain("[DONE]");
  });
});

describe("gemini provider: embeddings", () => {
  it("one batchEmbedContents call; floats back in OpenAI's list, usage counted with the gateway's tokenizer", async () => {
    handler = answerJson(200, EMBED_ANSWER);
    const response = await geminiProvider.embeddings!(embeddingsCall({ model: "gemini-embedding-001", input: ["hello world", "good night"], dimensions: 3 }));
    expect(response.status).toBe(200);
    expect(seen[0]!.url).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(seen[0]!.headers["x-goog-api-key"]).toBe("AIza-channel-key");
    expect(sentJson()).toEqual({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "hello world" }] }, outputDimensionality: 3 },
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "good night" }] }, outputDimensionality: 3 },
      ],
    });
    const tokens = countTokens("hello world") + countTokens("good night");
    expect(await json(response)).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.25, -0.5, 0.125] },
        { object: "embedding", index: 1, embedding: [1, 0, -1.5] },
      ],
      model: "gemini-embedding-001",
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });

  it("base64: little-endian float32 bytes, as OpenAI sends them", async () => {
    handler = answerJson(200, { embeddings: [EMBED_ANSWER.embeddings![0]] });
    const body = await json(await geminiProvider.embeddings!(embeddingsCall({ model: "gemini-embedding-001", input: "hello", encoding_format: "base64" })));
    expect(sentJson().requests).toEqual([{ model: "models/gemini-embedding-001", content: { parts: [{ text: "hello" }] } }]);
    const bytes = Buffer.from(body.data[0].embedding, "base64");
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4))).toEqual([0.25, -0.5, 0.125]);
  });

  it("more than 100 inputs go in batches of 100, in order", async () => {
    handler = (req, res) => {
      const { requests } = JSON.parse(req.body.toString("utf8")) as { requests: Array<{ content: { parts: Array<{ text: string }> } }> };
      answerJson(200, { embeddings: requests.map((r) => ({ values: [Number(r.content.parts[0]!.text)] })) })(req, res);
    };
    const input = Array.from({ length: 250 }, (_, i) => String(i));
    const body = await json(await geminiProvider.embeddings!(embeddingsCall({ model: "gemini-embedding-001", input })));
    expect(seen.map((r) => (JSON.parse(r.body.toString("utf8")) as { requests: unknown[] }).requests.length)).toEqual([100, 100, 50]);
    expect(body.data).toHaveLength(250);
    expect(body.data.map((d: { index: number; embedding: number[] }) => d.embedding[0] === d.index)).toEqual(Array(250).fill(true));
  });

  it("token arrays are a 400 without calling the upstream; Gemini's errors come back in OpenAI's shape", async () => {
    const refused = await geminiProvider.embeddings!(embeddingsCall({ model: "gemini-embedding-001", input: [[1, 2, 3]] }));
    expect(refused.status).toBe(400);
    expect((await json(refused)).error).toMatchObject({ type: "invalid_request_error", param: "input" });
    expect(seen).toHaveLength(0);

    handler = answerJson(429, RESOURCE_EXHAUSTED);
    const limited = await geminiProvider.embeddings!(embeddingsCall({ model: "gemini-embedding-001", input: "x" }));
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.code).toBe("RESOURCE_EXHAUSTED");
  });
});

describe("gemini provider: timeouts and connection errors", () => {
  it("a silent upstream times out (kind timeout) after the channel timeout", async () => {
    handler = () => {};
    const began = Date.now();
    const error = await geminiProvider.chatCompletions(chatCall(chat, { channel: channel({ timeoutMs: 200 }) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamConnectionError);
    expect((error as UpstreamConnectionError).kind).toBe("timeout");
    expect(Date.now() - began).toBeLessThan(2_000);
  });

  it("a stream that sends headers but no event within the channel timeout counts as timed out", async () => {
    handler = async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" }).flushHeaders();
      await sleep(1_000);
      res.end();
    };
    const began = Date.now();
    const error = await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true }, { channel: channel({ timeoutMs: 300 }) })).catch((e: unknown) => e);
    expect((error as UpstreamConnectionError).kind).toBe("timeout");
    expect(Date.now() - began).toBeLessThan(900);
  });

  it("a refused connection is kind connect; the client's abort is kind aborted", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await geminiProvider.chatCompletions(chatCall(chat, { channel: channel({ baseUrl: `http://127.0.0.1:${port}` }) })).catch((e: unknown) => e);
    expect((refused as UpstreamConnectionError).kind).toBe("connect");

    handler = () => {};
    const client = new AbortController();
    setTimeout(() => client.abort(), 50);
    const aborted = await geminiProvider.chatCompletions(chatCall({ ...chat, stream: true }, { signal: client.signal })).catch((e: unknown) => e);
    expect((aborted as UpstreamConnectionError).kind).toBe("aborted");
  });
});

describe("gemini channels in the relay and the channel test", () => {
  const health = { failed: () => {}, succeeded: () => {}, anyCooling: false, coolingFor: () => 0, coolDown: () => {} } as unknown as ChannelHealth;
  const routed = (id: string, baseUrl: string): RoutedChannel => ({ ...channel({ id, name: id, baseUrl }), priority: 0, weight: 1, modelMapping: {}, models: ["m"], supportsResponses: false });

  it("fails over on 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE and a stream that opens with an error", async () => {
    for (const busy of [answerJson(429, RESOURCE_EXHAUSTED), answerJson(503, UNAVAILABLE), answerStream([sse([UNAVAILABLE])])]) {
      handler = (req, res) => (req.url!.startsWith("/busy/") ? busy : answerStream([sse(TEXT_STREAM_EVENTS)]))(req, res);
      const failures: string[] = [];
      const result = await relay({
        channels: [routed("busy", `${upstream.origin}/busy`), routed("ok", upstream.origin)],
        maxAttempts: 2,
        provider: getProvider,
        health: {
          ...health,
          failed: (id: string, message: string) => failures.push(`${id}: ${message}`),
          // A 429 cools the channel down for Gemini's RetryInfo delay rather than counting as a failure.
          coolDown: (id: string, seconds: number) => failures.push(`${id}: cool down ${seconds}`),
        } as unknown as ChannelHealth,
        signal: new AbortController().signal,
        send: (provider, c, signal) => provider.chatCompletions(chatCall({ ...chat, stream: true }, { channel: c, signal })),
      });
      expect(result).toMatchObject({ attempts: 2, channel: { id: "ok" } });
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/^busy: (cool down 21|HTTP 503: The model is overloaded)/);
      expect(await text(result.response)).toContain("[DONE]");
    }
  });

  it("does not fail over on a 400 INVALID_ARGUMENT (the request's fault)", async () => {
    handler = answerJson(400, INVALID_ARGUMENT);
    const result = await relay({
      channels: [routed("a", upstream.origin), routed("b", upstream.origin)],
      maxAttempts: 2,
      provider: getProvider,
      health,
      signal: new AbortController().signal,
      send: (provider, c, signal) => provider.chatCompletions(chatCall(chat, { channel: c, signal })),
    });
    expect(result).toMatchObject({ attempts: 1, response: { status: 400 } });
    result.response.discard();
  });

  it("the channel test sends a one-token request through the translation", async () => {
    handler = answerJson(200, TEXT_ANSWER);
    const record = { id: "c1", name: "gemini", type: "gemini", baseUrl: upstream.origin, apiKeyEnc: null, models: ["flash"], modelMapping: { flash: "gemini-2.5-flash" }, config: null, priority: 0, weight: 1, timeoutMs: 5_000, supportsResponses: false, createdAt: new Date() };
    const result = await testChannel(record);
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(seen[0]!.url).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sentJson()).toEqual({ contents: [{ role: "user", parts: [{ text: "ping" }] }], generationConfig: { maxOutputTokens: 1 } });

    handler = answerJson(400, API_KEY_INVALID);
    const refused = await testChannel(record);
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.error).toContain("API key not valid");
  });
});
