import { readFileSync } from "node:fs";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import {
  errorReply,
  estimateInputTokens,
  FAKE_ANTHROPIC_API_KEY,
  message,
  startFakeAnthropic,
  streamErrorReply,
  textBlock,
  textMessage,
  thinkingBlock,
  toolUseBlock,
  type FakeAnthropic,
} from "../helpers/fake-anthropic";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream } from "../helpers/fake-upstream";
import { GatewayWorld } from "../helpers/gateway-world";
import { setModelPrice } from "../../lib/prices/prices";

/**
 * /v1/messages through RootAPI with the official Anthropic SDK — natively to an Anthropic channel,
 * translated to an OpenAI-compatible one and to the sandbox — and the openai SDK on an Anthropic
 * channel (Chat Completions and Responses through the same translators).
 */
const IN = 3_000_000n; // µ$ per 1M tokens
const OUT = 15_000_000n;
const CACHED = 300_000n;
const WRITE = 3_750_000n; // 5-minute cache writes: 1.25 × input
const WRITE_1H = 6_000_000n; // 1-hour cache writes: 2 × input

const tools = [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } }];

describe.each(await databaseProviders())("gateway /v1/messages on %s", (provider) => {
  const world = new GatewayWorld();
  let anthropic: FakeAnthropic;
  let overloaded: FakeAnthropic;
  let openai: FakeUpstream;
  let picky: FakeUpstream;
  let rich: Awaited<ReturnType<GatewayWorld["user"]>>;

  const sdk = (apiKey: string, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) =>
    new Anthropic({ apiKey, baseURL: world.server.url, maxRetries: 0, timeout: 30_000, ...options });

  beforeAll(async () => {
    await world.setUp(provider);
    anthropic = await startFakeAnthropic();
    overloaded = await startFakeAnthropic({ handler: () => errorReply(529, { message: "Overloaded" }) });
    openai = await startFakeUpstream((req) => {
      const body = req.body as { stream?: boolean; tools?: unknown[] };
      if (body.tools?.length) {
        const call = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } };
        if (body.stream) {
          return {
            kind: "sse",
            events: [
              JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { role: "assistant", tool_calls: [{ index: 0, ...call, function: { name: "get_weather", arguments: "" } }] }, finish_reason: null }] }),
              JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }, finish_reason: "tool_calls" }] }),
              JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 30, completion_tokens: 7 } }),
              "[DONE]",
            ].map((data) => `data: ${data}\n\n`),
          };
        }
        return { kind: "json", body: { ...completion("", { prompt_tokens: 30, completion_tokens: 7 }), choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [call] }, finish_reason: "tool_calls" }] } };
      }
      if (body.stream) return { kind: "sse", events: streamEvents(["Hello", " from", " chat", "."], { prompt_tokens: 20, completion_tokens: 4 }) };
      return { kind: "json", body: completion("Hello from chat.", { prompt_tokens: 20, completion_tokens: 4 }) };
    });

    // Like OpenAI's models: reasoning ones refuse max_tokens, the others refuse reasoning_effort, each has an output limit.
    picky = await startFakeUpstream((req) => {
      const body = req.body as Record<string, unknown>;
      const refuse = (message: string, param: string) => ({ kind: "json" as const, status: 400, body: { error: { message, type: "invalid_request_error", param, code: "unsupported_parameter" } } });
      if ("max_tokens" in body) return refuse("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens");
      if ("reasoning_effort" in body) return refuse("Unrecognized request argument supplied: reasoning_effort", "reasoning_effort");
      if (Number(body.max_completion_tokens) > 16384) return refuse(`max_completion_tokens is too large: ${body.max_completion_tokens}. This model supports at most 16384 completion tokens.`, "max_completion_tokens");
      return body.stream ? { kind: "sse", events: streamEvents(["Fine."], { prompt_tokens: 50, completion_tokens: 1 }) } : { kind: "json", body: completion("Fine.", { prompt_tokens: 50, completion_tokens: 1 }) };
    });
    await world.channel({ name: "picky", baseUrl: picky.url, apiKey: "picky-key", models: ["gpt-picky"] });
    await world.price("gpt-picky", IN, OUT, CACHED);
    await world.channel({ name: "anthropic", type: "anthropic", baseUrl: anthropic.origin, apiKey: FAKE_ANTHROPIC_API_KEY, models: ["claude-test", "claude-mapped", "claude-failover"], modelMapping: { "claude-mapped": "claude-upstream-name" } });
    await world.channel({ name: "overloaded-first", type: "anthropic", baseUrl: overloaded.origin, apiKey: FAKE_ANTHROPIC_API_KEY, models: ["claude-failover"], priority: 10 });
    await world.channel({ name: "cache", type: "anthropic", baseUrl: anthropic.origin, apiKey: FAKE_ANTHROPIC_API_KEY, models: ["claude-cache"] });
    await setModelPrice(world.db, { model: "claude-cache", inputPrice: IN, outputPrice: OUT, cachedInputPrice: CACHED, cacheWritePrice: WRITE, cacheWrite1hPrice: WRITE_1H });
    await world.channel({ name: "chat", baseUrl: `${openai.url}`, apiKey: "chat-key", models: ["gpt-chat"] });
    for (const model of ["claude-test", "claude-mapped", "claude-failover", "gpt-chat"]) await world.price(model, IN, OUT, CACHED);
    rich = await world.user(100_000_000n);
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([anthropic, overloaded].map((fake) => fake?.close()));
    await openai?.close();
    await picky?.close();
  });

  beforeEach(() => {
    anthropic.received.length = 0;
    openai.received.length = 0;
  });

  describe("to an Anthropic channel (native)", () => {
    it("forwards the body (model mapped) and Anthropic's headers, and relays the answer unchanged", async () => {
      const scripted = message([thinkingBlock("Let me think."), textBlock("Bonjour.")], { model: "claude-upstream-name", usage: { input_tokens: 12, output_tokens: 9 } });
      anthropic.enqueue({ kind: "message", message: scripted });
      const answer = await sdk(rich.apiKey).messages.create(
        { model: "claude-mapped", max_tokens: 100, system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }], messages: [{ role: "user", content: "Hi" }], thinking: { type: "enabled", budget_tokens: 50 } },
        { headers: { "anthropic-beta": "interleaved-thinking-2025-05-14" } },
      );
      expect(answer).toEqual(scripted);
      const [sent] = anthropic.messages();
      expect(sent!.body).toMatchObject({ model: "claude-upstream-name", max_tokens: 100, system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }], thinking: { type: "enabled", budget_tokens: 50 } });
      expect(sent!.headers).toMatchObject({ "x-api-key": FAKE_ANTHROPIC_API_KEY, "anthropic-beta": "interleaved-thinking-2025-05-14" });
      expect(sent!.headers.authorization).toBeUndefined();
      const log = await world.logOf(answer._request_id!);
      // 12 × $3 + 9 × $15 per 1M = 36 + 135 µ$
      expect(log).toMatchObject({ status: 200, endpoint: "/v1/messages", model: "claude-mapped", upstreamModel: "claude-upstream-name", promptTokens: 12, completionTokens: 9, cost: 171n, estimated: false });
    });

    it("relays a stream event for event (thinking and signature deltas included) and bills message_delta's final counts", async () => {
      const scripted = message([thinkingBlock("Hmm."), textBlock("A streamed answer."), toolUseBlock("get_weather", { city: "Oslo" })], { model: "claude-test", usage: { input_tokens: 40, output_tokens: 25 } });
      anthropic.enqueue({ kind: "message", message: scripted });
      const stream = sdk(rich.apiKey).messages.stream({ model: "claude-test", max_tokens: 200, tools, messages: [{ role: "user", content: "Weather in Oslo?" }] });
      const types: string[] = [];
      stream.on("streamEvent", (event) => types.push(event.type));
      const final = await stream.finalMessage();
      expect(final.content).toEqual(scripted.content);
      expect(final.stop_reason).toBe("tool_use");
      expect(types).toContain("message_delta");
      expect(types.at(-1)).toBe("message_stop");
      const log = await world.logOf(stream.request_id!);
      expect(log).toMatchObject({ status: 200, stream: true, promptTokens: 40, completionTokens: 25, cost: 40n * 3n + 25n * 15n, estimated: false });
    });

    it("relays Anthropic's refusals with their status and type; fails over on 529 and on an error event after HTTP 200", async () => {
      anthropic.enqueue(errorReply(400, { message: "messages: roles must alternate" }));
      const refused = await sdk(rich.apiKey).messages.create({ model: "claude-test", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
      expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
      expect(refused.error).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: "messages: roles must alternate" } });
      expect(await world.logOf(refused.requestID)).toMatchObject({ status: 400, cost: 0n });

      // The overloaded channel comes first and answers 529: the request goes on to the next.
      const answer = await sdk(rich.apiKey).messages.create({ model: "claude-failover", max_tokens: 10, messages: [{ role: "user", content: "after overload" }] });
      expect(answer.content).toEqual([{ type: "text", text: "You said: after overload", citations: null }]);
      expect(await world.logOf(answer._request_id!)).toMatchObject({ status: 200, attempts: 2 });

      anthropic.enqueue(streamErrorReply("content"));
      const events: string[] = [];
      const stream = sdk(rich.apiKey).messages.stream({ model: "claude-test", max_tokens: 10, messages: [{ role: "user", content: "early error" }] });
      stream.on("streamEvent", (event) => events.push(event.type));
      // A single channel: the early error is the request's outcome, before any byte reached the client.
      const failed = await stream.finalMessage().catch((e) => e);
      expect(failed).toBeInstanceOf(Anthropic.APIError);
      expect(events).toEqual([]);
    });

    it("counts tokens upstream, free of charge", async () => {
      const before = await world.balance(rich.user.id);
      const body = { model: "claude-mapped", messages: [{ role: "user" as const, content: "How many tokens is this?" }] };
      const counted = await sdk(rich.apiKey).messages.countTokens(body);
      expect(counted).toEqual({ input_tokens: estimateInputTokens(body) });
      expect(anthropic.received.at(-1)).toMatchObject({ pathname: "/v1/messages/count_tokens", body: { model: "claude-upstream-name" } });
      expect((await world.balance(rich.user.id)).balance).toBe(before.balance);
    });
  });

  describe("prompt caching, billed exactly", () => {
    // 1,000 uncached, 20,000 cache reads, 3,000 5-minute and 2,000 1-hour writes, 500 output tokens.
    const cacheUsage = { input_tokens: 1_000, output_tokens: 500, cache_read_input_tokens: 20_000, cache_creation: { ephemeral_5m_input_tokens: 3_000, ephemeral_1h_input_tokens: 2_000 } };
    // Each kind at its rate, once: a write is never also billed as input, a read never at the input rate.
    const exact = (1_000n * IN + 20_000n * CACHED + 3_000n * WRITE + 2_000n * WRITE_1H + 500n * OUT) / 1_000_000n;

    it("bills reads and 5-minute and 1-hour writes at their rates, whole and streamed (message_delta's final counts taken once)", async () => {
      expect(exact).toBe(3_000n + 6_000n + 11_250n + 12_000n + 7_500n);
      for (const stream of [false, true]) {
        // message_start carries the input side with output 1; message_delta repeats the cumulative counts.
        anthropic.enqueue({ kind: "message", message: textMessage("Cached answer.", { model: "claude-cache", usage: cacheUsage }) });
        const before = await world.balance(rich.user.id);
        const request = { model: "claude-cache", max_tokens: 600, messages: [{ role: "user" as const, content: "Use the cache" }] };
        let requestId: string;
        if (stream) {
          const streaming = sdk(rich.apiKey).messages.stream(request);
          await streaming.finalMessage();
          requestId = streaming.request_id!;
        } else requestId = (await sdk(rich.apiKey).messages.create(request))._request_id!;
        const log = await world.logOf(requestId);
        expect(log, `stream: ${stream}`).toMatchObject({ status: 200, stream, promptTokens: 26_000, cachedTokens: 20_000, cacheWriteTokens: 5_000, cacheWrite1hTokens: 2_000, completionTokens: 500, cost: exact, estimated: false });
        expect(before.balance - (await world.balance(rich.user.id)).balance).toBe(exact);
      }
    });

    it("shows OpenAI clients every prompt token with the reads as cached, and bills them the same", async () => {
      anthropic.enqueue({ kind: "message", message: textMessage("Cached answer.", { model: "claude-cache", usage: cacheUsage }) });
      const stream = await world.client(rich.apiKey).chat.completions.create({ model: "claude-cache", messages: [{ role: "user", content: "Use the cache" }], stream: true, stream_options: { include_usage: true } });
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) usage = chunk.usage ?? usage;
      expect(usage).toMatchObject({ prompt_tokens: 26_000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 20_000 } });
      expect(await world.logOf(stream._request_id!)).toMatchObject({ cachedTokens: 20_000, cacheWriteTokens: 5_000, cacheWrite1hTokens: 2_000, cost: exact });
    });
  });

  describe("to an OpenAI-compatible channel (translated)", () => {
    it("translates the request and the answer, and bills the chat usage", async () => {
      const answer = await sdk(rich.apiKey).messages.create({
        model: "gpt-chat",
        max_tokens: 64,
        system: [{ type: "text", text: "You are terse.", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: [{ type: "text", text: "Hello" }, { type: "text", text: "" }] }],
        stop_sequences: ["END"],
        metadata: { user_id: "u-1" },
      });
      expect(answer).toMatchObject({ type: "message", role: "assistant", model: "gpt-chat", content: [{ type: "text", text: "Hello from chat." }], stop_reason: "end_turn", usage: { input_tokens: 20, output_tokens: 4 } });
      const [sent] = openai.received;
      expect(sent!.path).toBe("/v1/chat/completions");
      expect(sent!.body).toEqual({ model: "gpt-chat", messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "Hello" }], max_tokens: 64, stop: ["END"] });
      expect(await world.logOf(answer._request_id!)).toMatchObject({ status: 200, promptTokens: 20, completionTokens: 4, cost: 20n * 3n + 4n * 15n });
    });

    it("streams tool calls as Anthropic events the SDK accumulates", async () => {
      const stream = sdk(rich.apiKey).messages.stream({ model: "gpt-chat", max_tokens: 64, tools, tool_choice: { type: "any" }, messages: [{ role: "user", content: "Weather in Paris?" }] });
      const final = await stream.finalMessage();
      expect(final.content).toEqual([{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" }, caller: { type: "direct" } }]);
      expect(final.stop_reason).toBe("tool_use");
      expect(final.usage).toMatchObject({ input_tokens: 30, output_tokens: 7 });
      expect(openai.received[0]!.body).toMatchObject({ tool_choice: "required", stream: true, stream_options: { include_usage: true } });
      expect(await world.logOf(stream.request_id!)).toMatchObject({ status: 200, stream: true, promptTokens: 30, completionTokens: 7 });
    });

    it("accepts exactly what Claude Code sends (cache_control, defer_loading, context_management, mid-conversation system turns)", async () => {
      const fixtures = path.resolve(import.meta.dirname, "../fixtures/claude-code");
      for (const file of ["messages-request.json", "messages-request.tool-result.json"]) {
        const recorded = JSON.parse(readFileSync(path.join(fixtures, file), "utf8")) as Record<string, unknown>;
        openai.received.length = 0;
        const response = await fetch(`${world.server.url}/v1/messages?beta=true`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": rich.apiKey, "anthropic-version": "2023-06-01" },
          body: JSON.stringify({ ...recorded, model: "gpt-chat" }),
        });
        expect(response.status, file).toBe(200);
        const text = await response.text();
        expect(text, file).toContain("event: message_stop");
        const sent = JSON.stringify(openai.received[0]!.body);
        for (const dropped of ["cache_control", "defer_loading", "context_management", "user_id"]) expect(sent, file).not.toContain(dropped);
      }
    });
  });

  it("adjusts what it derived when an OpenAI-compatible model refuses it, never what a chat client chose", async () => {
    const fixture = path.resolve(import.meta.dirname, "../fixtures/claude-code/messages-request.claude-haiku-4-5.json");
    const recorded = JSON.parse(readFileSync(fixture, "utf8")) as Record<string, unknown>;
    picky.received.length = 0;
    const response = await fetch(`${world.server.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": rich.apiKey, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ ...recorded, model: "gpt-picky", thinking: { type: "enabled", budget_tokens: 31999 } }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Fine.");
    // max_tokens → max_completion_tokens, reasoning_effort dropped, the limit lowered: three 400s, then the answer.
    expect(picky.received).toHaveLength(4);
    expect(picky.received.at(-1)!.body).toMatchObject({ max_completion_tokens: 16384 });
    expect(picky.received.at(-1)!.body).not.toHaveProperty("reasoning_effort");

    picky.received.length = 0;
    const own = await world.client(rich.apiKey).chat.completions.create({ model: "gpt-picky", messages: [{ role: "user", content: "hi" }], max_tokens: 10 }).catch((e) => e);
    expect(own).toBeInstanceOf(OpenAI.BadRequestError);
    expect(picky.received).toHaveLength(1);
  });

  describe("to the sandbox (translated)", () => {
    it("answers non-stream and stream, with a key in x-api-key or as a bearer token", async () => {
      const answer = await sdk(rich.apiKey).messages.create({ model: "sandbox-chat", max_tokens: 50, messages: [{ role: "user", content: "Hello sandbox" }] });
      expect(answer.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("Hello sandbox") });
      const streamed = await sdk(rich.apiKey).messages.stream({ model: "sandbox-chat", max_tokens: 50, messages: [{ role: "user", content: "Hello sandbox" }] }).finalMessage();
      expect(streamed.content).toEqual(answer.content);

      const viaHeader = await fetch(`${world.server.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": rich.apiKey, "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model: "sandbox-chat", max_tokens: 50, messages: [{ role: "user", content: "Hello sandbox" }] }),
      });
      expect(viaHeader.status).toBe(200);
      expect(viaHeader.headers.get("request-id")).toMatch(/^req_/);
      expect(((await viaHeader.json()) as { content: unknown }).content).toEqual(answer.content);
    });

    it("counts tokens locally", async () => {
      const counted = await sdk(rich.apiKey).messages.countTokens({ model: "sandbox-chat", messages: [{ role: "user", content: "Count these words please" }] });
      expect(counted.input_tokens).toBeGreaterThan(3);
      expect(counted.input_tokens).toBeLessThan(30);
    });
  });

  describe("errors in Anthropic's shape", () => {
    it("gives each failure its status, its type and the SDK's class", async () => {
      const missing = await fetch(`${world.server.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error", message: expect.stringContaining("x-api-key") } });

      const body = { model: "claude-test", max_tokens: 10, messages: [{ role: "user" as const, content: "hi" }] };
      const broke = await world.user(0n);
      const narrow = await world.user(10_000_000n, { allowedModels: ["gpt-chat"] });
      const cases: Array<[() => Promise<unknown>, unknown, number, string]> = [
        [() => sdk("sk-wrong-key-000000").messages.create(body), Anthropic.AuthenticationError, 401, "authentication_error"],
        [() => sdk(rich.apiKey).messages.create({ ...body, max_tokens: 0 }), Anthropic.BadRequestError, 400, "invalid_request_error"],
        [() => sdk(rich.apiKey).messages.create({ ...body, model: "no-such-model" }), Anthropic.NotFoundError, 404, "not_found_error"],
        [() => sdk(broke.apiKey).messages.create(body), Anthropic.APIError, 402, "billing_error"],
        [() => sdk(narrow.apiKey).messages.create(body), Anthropic.PermissionDeniedError, 403, "permission_error"],
      ];
      for (const [call, type, status, errorType] of cases) {
        const error = (await call().catch((e) => e)) as InstanceType<typeof Anthropic.APIError>;
        expect(error, errorType).toBeInstanceOf(type);
        expect(error.status).toBe(status);
        expect(error.error).toMatchObject({ type: "error", error: { type: errorType } });
      }

      const limited = await world.user(10_000_000n, { rpmLimit: 1 });
      await sdk(limited.apiKey).messages.create({ ...body, model: "sandbox-chat" });
      const rateLimited = await sdk(limited.apiKey).messages.create({ ...body, model: "sandbox-chat" }).catch((e) => e);
      expect(rateLimited).toBeInstanceOf(Anthropic.RateLimitError);
      expect(rateLimited.error).toMatchObject({ error: { type: "rate_limit_error" } });
      expect(rateLimited.headers.get("retry-after")).toMatch(/^\d+$/);
    });
  });

  describe("OpenAI clients on an Anthropic channel", () => {
    const tool = { type: "function" as const, function: { name: "get_weather", parameters: tools[0]!.input_schema } };

    it("answers Chat Completions, whole and streamed, tools included", async () => {
      const client = world.client(rich.apiKey);
      anthropic.enqueue({ kind: "message", message: textMessage("Hi from Claude.", { usage: { input_tokens: 11, output_tokens: 5 } }) });
      const result = await client.chat.completions.create({ model: "claude-test", messages: [{ role: "developer", content: "Be nice." }, { role: "user", content: "Hello" }] });
      expect(result.choices[0]).toMatchObject({ message: { role: "assistant", content: "Hi from Claude." }, finish_reason: "stop" });
      expect(result.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });
      const sent = anthropic.messages()[0]!.body;
      expect(sent).toMatchObject({ model: "claude-test", system: "Be nice.", messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }] });
      expect(typeof sent.max_tokens).toBe("number");

      anthropic.enqueue({ kind: "message", message: message([toolUseBlock("get_weather", { city: "Rome" }, "toolu_1")], { usage: { input_tokens: 21, output_tokens: 8 } }) });
      const stream = await client.chat.completions.create({ model: "claude-test", messages: [{ role: "user", content: "Weather in Rome?" }], tools: [tool], stream: true, stream_options: { include_usage: true } });
      let args = "";
      let finish: string | null = null;
      let usage: unknown = null;
      for await (const chunk of stream) {
        args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      expect(JSON.parse(args)).toEqual({ city: "Rome" });
      expect(finish).toBe("tool_calls");
      expect(usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 8 });
      expect(await world.logOf(stream._request_id!)).toMatchObject({ status: 200, promptTokens: 21, completionTokens: 8, cost: 21n * 3n + 8n * 15n });
    });

    it("answers the Responses API with stored state", async () => {
      const client = world.client(rich.apiKey);
      anthropic.enqueue({ kind: "message", message: textMessage("First answer.") }, { kind: "message", message: textMessage("Second answer.") });
      const first = await client.responses.create({ model: "claude-test", input: "Remember: blue.", instructions: "Be brief." });
      expect(first.output_text).toBe("First answer.");
      const second = await client.responses.create({ model: "claude-test", input: "What colour?", previous_response_id: first.id, stream: true });
      let text = "";
      for await (const event of second) if (event.type === "response.output_text.delta") text += event.delta;
      expect(text).toBe("Second answer.");
      const [opening, continued] = anthropic.messages().map((request) => request.body as { system?: unknown; messages: Array<{ role: string }> });
      expect(opening!.system).toBe("Be brief.");
      // Instructions belong to their own turn; the conversation carries on from our store.
      expect(continued!.system).toBeUndefined();
      expect(continued!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    });
  });
});
