import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseProviders } from "../helpers/database-matrix";
import {
  embeddingValues,
  FAKE_GEMINI_API_KEY,
  errorBody,
  errorReply,
  estimateInputTokens,
  estimateOutputTokens,
  functionCallPart,
  response,
  startFakeGemini,
  streamErrorReply,
  textPart,
  textResponse,
  thoughtPart,
  type FakeGemini,
  type GeminiReply,
  type UsageCounts,
} from "../helpers/fake-gemini";
import { eventually, GatewayWorld } from "../helpers/gateway-world";

/**
 * RootAPI on `gemini` channels, driven by the official SDKs: the openai SDK (Chat Completions and
 * Responses) and the Anthropic SDK (/v1/messages), all translated through the hub to Gemini's
 * generateContent / streamGenerateContent on the fake (test/helpers/fake-gemini.ts). Billing is
 * checked to the micro-dollar: thinking at the output rate, cached content at the cached rate.
 */
const IN = 1_250_000n; // µ$ per 1M tokens
const OUT = 10_000_000n;
const CACHED = 125_000n;

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const weatherTool = { type: "function" as const, function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };
const SIGNATURE = "c2lnbmF0dXJlLW9mLXRoZS1maXJzdC1jYWxs";

/** The cost the gateway must charge: uncached prompt at IN, cached at CACHED, visible output and thinking at OUT, rounded up once. */
const exactCost = (usage: UsageCounts) => {
  const cached = BigInt(usage.cached ?? 0);
  const scaled = (BigInt(usage.prompt) - cached) * IN + cached * CACHED + BigInt(usage.candidates + (usage.thoughts ?? 0)) * OUT;
  return (scaled + 999_999n) / 1_000_000n;
};

type ToolCallWithSignature = OpenAI.ChatCompletionMessageFunctionToolCall & { extra_content?: { google?: { thought_signature?: string } } };
interface GeminiContent {
  role: string;
  parts: Array<Record<string, unknown>>;
}

describe.each(await databaseProviders())("gateway on Gemini channels, on %s", (provider) => {
  const world = new GatewayWorld();
  let gemini: FakeGemini;
  let gemini3: FakeGemini;
  let failing: FakeGemini;
  let limited: FakeGemini;
  let rich: Awaited<ReturnType<GatewayWorld["user"]>>;

  const anthropicSdk = (apiKey: string) => new Anthropic({ apiKey, baseURL: world.server.url, maxRetries: 0, timeout: 30_000 });
  const contentsOf = (fake: FakeGemini, i: number) => fake.generations()[i]!.body.contents as GeminiContent[];

  beforeAll(async () => {
    await world.setUp(provider);
    gemini = await startFakeGemini();
    // Gemini 3: a function call sent back without its thought signature is refused.
    gemini3 = await startFakeGemini({ requireThoughtSignatures: true });
    // The first channel of the fail-over models: each model answers its own error.
    failing = await startFakeGemini({
      handler: (request): GeminiReply => {
        if (request.model === "gemini-fo-429") return errorReply(429);
        if (request.model === "gemini-fo-500") return errorReply(500);
        if (request.model === "gemini-fo-503") return errorReply(503);
        if (request.model === "gemini-fo-stream") return streamErrorReply(0, errorBody(503));
        if (request.model === "gemini-fo-hang") return { kind: "hang" };
        if (request.model === "gemini-fo-stall") return { kind: "hang", afterChunks: 0 };
        if (request.model === "gemini-fo-drop") return { kind: "drop" };
        return errorReply(400, { message: "* GenerateContentRequest.generation_config.max_output_tokens: must be positive" });
      },
    });
    const failover = ["gemini-fo-429", "gemini-fo-500", "gemini-fo-503", "gemini-fo-stream", "gemini-fo-400", "gemini-fo-hang", "gemini-fo-stall", "gemini-fo-drop", "gemini-fo-badkey"];
    await world.channel({ name: "gemini", type: "gemini", baseUrl: gemini.origin, apiKey: FAKE_GEMINI_API_KEY, models: ["gemini-test", "gemini-bill", "gemini-mapped", "gemini-pro-mapped", ...failover], modelMapping: { "gemini-mapped": "gemini-2.5-flash", "gemini-pro-mapped": "gemini-2.5-pro" } });
    // A channel of its own for the rate-limit test: its 429 rests only this channel.
    limited = await startFakeGemini({ handler: () => errorReply(429, { retryDelaySeconds: 7 }) });
    await world.channel({ name: "gemini-limited", type: "gemini", baseUrl: limited.origin, apiKey: FAKE_GEMINI_API_KEY, models: ["gemini-limited"] });
    await world.price("gemini-limited", IN, OUT, CACHED);
    await world.channel({ name: "gemini-3", type: "gemini", baseUrl: gemini3.origin, apiKey: FAKE_GEMINI_API_KEY, models: ["gemini-3-pro-preview"] });
    // One failing channel per model: a 429 rests its channel a while, which must not hide the next case.
    for (const model of failover) {
      // gemini-fo-badkey's first channel has a key Google refuses (400 API_KEY_INVALID).
      const apiKey = model === "gemini-fo-badkey" ? "AIzaRevokedKey" : FAKE_GEMINI_API_KEY;
      await world.channel({ name: `failing-${model}`, type: "gemini", baseUrl: failing.origin, apiKey, models: [model], priority: 10, timeoutMs: 1_000 });
    }
    for (const model of ["gemini-test", "gemini-bill", "gemini-mapped", "gemini-pro-mapped", "gemini-3-pro-preview", ...failover]) await world.price(model, IN, OUT, CACHED);
    await world.channel({ name: "gemini-embed", type: "gemini", baseUrl: gemini.origin, apiKey: FAKE_GEMINI_API_KEY, models: ["gemini-embedding"], modelMapping: { "gemini-embedding": "gemini-embedding-001" } });
    await world.price("gemini-embedding", 150_000n, 0n);
    rich = await world.user(100_000_000n);
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([gemini, gemini3, failing, limited].map((fake) => fake?.close()));
  });

  beforeEach(() => {
    for (const fake of [gemini, gemini3, failing]) fake.received.length = 0;
  });

  describe("Chat Completions (openai SDK)", () => {
    it("translates the request to generateContent with the channel's key, and the answer (thoughts as reasoning) back; bills it", async () => {
      const usage = { prompt: 320, candidates: 12, thoughts: 45 };
      gemini.enqueue({ kind: "response", response: response([thoughtPart("The user greets me."), textPart("Hello from Gemini.", "c2lnLXRleHQ=")], { model: "gemini-2.5-flash", usage }) });
      const result = await world.client(rich.apiKey).chat.completions.create({
        model: "gemini-mapped",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
        temperature: 0.3,
        max_completion_tokens: 200,
        stop: ["END"],
        reasoning_effort: "high",
      });
      expect(result.choices[0]).toMatchObject({ message: { role: "assistant", content: "Hello from Gemini.", reasoning_content: "The user greets me." }, finish_reason: "stop" });
      expect(result.usage).toMatchObject({ prompt_tokens: 320, completion_tokens: 57, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 45 } });

      const [sent] = gemini.generations();
      expect(sent!.pathname).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
      expect(sent!.headers["x-goog-api-key"]).toBe(FAKE_GEMINI_API_KEY);
      expect(sent!.headers.authorization).toBeUndefined();
      expect(sent!.query.key).toBeUndefined();
      expect(sent!.body).toMatchObject({
        contents: [{ role: "user", parts: [{ text: "Hello" }] }],
        systemInstruction: { parts: [{ text: "Be brief." }] },
        generationConfig: { temperature: 0.3, maxOutputTokens: 200, stopSequences: ["END"], thinkingConfig: { includeThoughts: true } },
      });
      const log = await world.logOf(result._request_id!);
      expect(log).toMatchObject({ status: 200, model: "gemini-mapped", upstreamModel: "gemini-2.5-flash", promptTokens: 320, completionTokens: 57, reasoningTokens: 45, cost: exactCost(usage), estimated: false });
    });

    it("asks Gemini for thinking the way each model takes it (reasoning_effort)", async () => {
      const client = world.client(rich.apiKey);
      const ask = (model: string, effort: "none" | "low" | "high") => client.chat.completions.create({ model, messages: [{ role: "user", content: `effort ${effort}` }], reasoning_effort: effort });
      // 2.5 Pro cannot turn thinking off: the fake refuses a 0 budget there, as Google does.
      for (const effort of ["none", "high"] as const) expect((await ask("gemini-pro-mapped", effort)).choices[0]!.message.content).toBe(`You said: effort ${effort}`);
      expect((await ask("gemini-mapped", "none")).choices[0]!.message.content).toBe("You said: effort none");
      for (const effort of ["low", "high"] as const) await ask("gemini-3-pro-preview", effort);
      const configs = [...gemini.generations(), ...gemini3.generations()].map((r) => [r.model, (r.body.generationConfig as { thinkingConfig?: unknown } | undefined)?.thinkingConfig]);
      expect(configs).toEqual([
        ["gemini-2.5-pro", expect.objectContaining({ thinkingBudget: expect.any(Number) })],
        ["gemini-2.5-pro", { thinkingBudget: expect.any(Number), includeThoughts: true }],
        ["gemini-2.5-flash", { thinkingBudget: 0 }],
        ["gemini-3-pro-preview", { thinkingLevel: "low", includeThoughts: true }],
        ["gemini-3-pro-preview", { thinkingLevel: "high", includeThoughts: true }],
      ]);
      const budgets = configs.slice(0, 2).map(([, config]) => (config as { thinkingBudget: number }).thinkingBudget);
      expect(budgets[0]).toBeGreaterThan(0);
      expect(budgets[1]).toBeGreaterThan(budgets[0]!);
    });

    it("streams text as chat chunks with the final (cumulative, not summed) usage, and bills it", async () => {
      const usage = { prompt: 1_000, candidates: 30, thoughts: 70 };
      gemini.enqueue({ kind: "response", response: response([thoughtPart("Thinking it over step by step."), textPart("A streamed answer in several pieces.")], { usage }), chunkDelayMs: 5 });
      const payer = await world.user(10_000_000n);
      const before = await world.balance(payer.user.id);
      const stream = await world.client(payer.apiKey).chat.completions.create({ model: "gemini-test", messages: [{ role: "user", content: "Stream please" }], stream: true, stream_options: { include_usage: true } });
      let text = "";
      let reasoning = "";
      let finish: string | null = null;
      let usageSeen: OpenAI.CompletionUsage | undefined;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
        text += delta?.content ?? "";
        reasoning += delta?.reasoning_content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usageSeen = chunk.usage ?? usageSeen;
      }
      expect(chunks).toBeGreaterThan(4);
      expect(text).toBe("A streamed answer in several pieces.");
      expect(reasoning).toBe("Thinking it over step by step.");
      expect(finish).toBe("stop");
      expect(usageSeen).toMatchObject({ prompt_tokens: 1_000, completion_tokens: 100 });
      const [sent] = gemini.generations();
      expect(sent!.pathname).toBe("/v1beta/models/gemini-test:streamGenerateContent");
      expect(sent!.query).toEqual({ alt: "sse" });
      const log = await world.logOf(stream._request_id!);
      expect(log).toMatchObject({ status: 200, stream: true, promptTokens: 1_000, completionTokens: 100, cost: exactCost(usage), estimated: false });
      expect(before.balance - (await world.balance(payer.user.id)).balance).toBe(exactCost(usage));
    });

    it("sends an image URL as fileData and response_format json_schema as a response schema", async () => {
      gemini.enqueue({ kind: "response", response: textResponse('{"animal":"cat"}') });
      const result = await world.client(rich.apiKey).chat.completions.create({
        model: "gemini-test",
        messages: [{ role: "user", content: [{ type: "text", text: "Which animal?" }, { type: "image_url", image_url: { url: "https://images.example/cat.png" } }] }],
        response_format: { type: "json_schema", json_schema: { name: "animal", schema: { type: "object", properties: { animal: { type: "string" } }, required: ["animal"] } } },
      });
      expect(JSON.parse(result.choices[0]!.message.content!)).toEqual({ animal: "cat" });
      const [sent] = gemini.generations();
      expect(sent!.body.contents).toEqual([{ role: "user", parts: [{ text: "Which animal?" }, { fileData: { mimeType: "image/png", fileUri: "https://images.example/cat.png" } }] }]);
      expect(sent!.body.generationConfig).toMatchObject({ responseMimeType: "application/json", responseSchema: { type: expect.stringMatching(/^object$/i), properties: { animal: { type: expect.stringMatching(/^string$/i) } } } });
    });

    it("sends an image given as a data URL inline", async () => {
      const result = await world.client(rich.apiKey).chat.completions.create({
        model: "gemini-test",
        messages: [{ role: "user", content: [{ type: "text", text: "What is in this image?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }] }],
      });
      expect(result.choices[0]!.message.content).toBe("You said: What is in this image?");
      expect(contentsOf(gemini, 0)).toEqual([{ role: "user", parts: [{ text: "What is in this image?" }, { inlineData: { mimeType: "image/png", data: PNG } }] }]);
      // Deterministic usage from the fake: the prompt as Gemini received it.
      expect(result.usage).toMatchObject({ prompt_tokens: estimateInputTokens(gemini.generations()[0]!.body), completion_tokens: estimateOutputTokens("You said: What is in this image?") });
    });
  });

  describe("tool calls carry Gemini 3's thought signatures", () => {
    const question: OpenAI.ChatCompletionMessageParam = { role: "user", content: "Weather in Paris?" };

    it("round-trips the signature through a whole tool loop (the model refuses calls without it)", async () => {
      const client = world.client(rich.apiKey);
      gemini3.enqueue({ kind: "response", response: response([functionCallPart("get_weather", { city: "Paris" }, SIGNATURE)], { usage: { prompt: 60, candidates: 8, thoughts: 30 } }) });
      const first = await client.chat.completions.create({ model: "gemini-3-pro-preview", messages: [question], tools: [weatherTool], tool_choice: "auto" });
      expect(first.choices[0]!.finish_reason).toBe("tool_calls");
      const call = first.choices[0]!.message.tool_calls![0] as ToolCallWithSignature;
      expect(call).toMatchObject({ type: "function", function: { name: "get_weather" }, extra_content: { google: { thought_signature: SIGNATURE } } });
      expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
      expect(gemini3.generations()[0]!.body).toMatchObject({ tools: [{ functionDeclarations: [{ name: "get_weather", description: "Weather for a city" }] }], toolConfig: { functionCallingConfig: { mode: "AUTO" } } });

      gemini3.enqueue({ kind: "response", response: textResponse("It is 21°C in Paris.") });
      const second = await client.chat.completions.create({
        model: "gemini-3-pro-preview",
        tools: [weatherTool],
        messages: [question, first.choices[0]!.message as OpenAI.ChatCompletionAssistantMessageParam, { role: "tool", tool_call_id: call.id, content: JSON.stringify({ temperature: 21 }) }],
      });
      expect(second.choices[0]!.message.content).toBe("It is 21°C in Paris.");
      expect(contentsOf(gemini3, 1)).toEqual([
        { role: "user", parts: [{ text: "Weather in Paris?" }] },
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: SIGNATURE }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temperature: 21 } } }] },
      ]);
    });

    it("round-trips it from a stream too, and parallel calls keep the signature on the first only", async () => {
      const client = world.client(rich.apiKey);
      gemini3.enqueue({ kind: "response", response: response([thoughtPart("Two cities."), functionCallPart("get_weather", { city: "Rome" }, SIGNATURE), functionCallPart("get_weather", { city: "Oslo" }, null)], { usage: { prompt: 70, candidates: 16, thoughts: 22 } }) });
      const stream = await client.chat.completions.create({ model: "gemini-3-pro-preview", messages: [{ role: "user", content: "Rome and Oslo?" }], tools: [weatherTool], stream: true, stream_options: { include_usage: true } });
      const calls: ToolCallWithSignature[] = [];
      let finish: string | null = null;
      for await (const chunk of stream) {
        for (const delta of (chunk.choices[0]?.delta.tool_calls ?? []) as Array<OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall & { extra_content?: ToolCallWithSignature["extra_content"] }>) {
          const existing = calls[delta.index];
          if (!existing) calls[delta.index] = { id: delta.id!, type: "function", function: { name: delta.function?.name ?? "", arguments: delta.function?.arguments ?? "" }, ...(delta.extra_content ? { extra_content: delta.extra_content } : {}) };
          else existing.function.arguments += delta.function?.arguments ?? "";
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(finish).toBe("tool_calls");
      expect(calls.map((c) => JSON.parse(c.function.arguments))).toEqual([{ city: "Rome" }, { city: "Oslo" }]);
      expect(calls[0]!.extra_content).toEqual({ google: { thought_signature: SIGNATURE } });
      expect(calls[1]!.extra_content).toBeUndefined();
      expect(await world.logOf(stream._request_id!)).toMatchObject({ status: 200, stream: true, promptTokens: 70, completionTokens: 38, cost: exactCost({ prompt: 70, candidates: 16, thoughts: 22 }) });

      const answer = await client.chat.completions.create({
        model: "gemini-3-pro-preview",
        tools: [weatherTool],
        messages: [
          { role: "user", content: "Rome and Oslo?" },
          { role: "assistant", content: null, tool_calls: calls } as OpenAI.ChatCompletionAssistantMessageParam,
          { role: "tool", tool_call_id: calls[0]!.id, content: "sunny" },
          { role: "tool", tool_call_id: calls[1]!.id, content: "rain" },
        ],
      });
      expect(answer.choices[0]!.message.content).toBe("You said: Rome and Oslo?");
      expect(contentsOf(gemini3, 1).slice(1)).toEqual([
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Rome" } }, thoughtSignature: SIGNATURE }, { functionCall: { name: "get_weather", args: { city: "Oslo" } } }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: expect.any(Object) } }, { functionResponse: { name: "get_weather", response: expect.any(Object) } }] },
      ]);
    });

    it("keeps the call id Gemini gave as the tool call's id", async () => {
      gemini3.enqueue({ kind: "response", response: response([functionCallPart("get_weather", { city: "Bern" }, SIGNATURE, "gemini-call-7")]) });
      const answer = await world.client(rich.apiKey).chat.completions.create({ model: "gemini-3-pro-preview", messages: [question], tools: [weatherTool] });
      expect(answer.choices[0]!.message.tool_calls).toEqual([expect.objectContaining({ id: "gemini-call-7", function: { name: "get_weather", arguments: JSON.stringify({ city: "Bern" }) } })]);
    });

    it("still gets an answer when a client dropped the signature (calls made elsewhere)", async () => {
      const answer = await world.client(rich.apiKey).chat.completions.create({
        model: "gemini-3-pro-preview",
        tools: [weatherTool],
        messages: [question, { role: "assistant", content: null, tool_calls: [{ id: "call_other", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] }, { role: "tool", tool_call_id: "call_other", content: '{"temperature":19}' }],
      });
      expect(answer.choices[0]!.message.content).toBe("You said: Weather in Paris?");
      const model = contentsOf(gemini3, 0)[1]!;
      expect(model.parts[0]).toMatchObject({ functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: expect.any(String) });
    });
  });

  describe("errors", () => {
    it("fails over to the next channel on 429, 500 and 503, and on an error event before any content", async () => {
      const client = world.client(rich.apiKey);
      for (const model of ["gemini-fo-429", "gemini-fo-500", "gemini-fo-503"]) {
        const result = await client.chat.completions.create({ model, messages: [{ role: "user", content: `after ${model}` }] });
        expect(result.choices[0]!.message.content, model).toBe(`You said: after ${model}`);
        expect(await world.logOf(result._request_id!)).toMatchObject({ status: 200, attempts: 2 });
      }
      const stream = await client.chat.completions.create({ model: "gemini-fo-stream", messages: [{ role: "user", content: "stream after error" }], stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toBe("You said: stream after error");
      expect(await world.logOf(stream._request_id!)).toMatchObject({ status: 200, stream: true, attempts: 2 });
      expect(failing.generations().map((r) => r.model)).toEqual(["gemini-fo-429", "gemini-fo-500", "gemini-fo-503", "gemini-fo-stream"]);
    });

    it("relays a 429 from the only channel as a rate limit, with Google's RetryInfo delay as retry-after", async () => {
      const error = (await world
        .client(rich.apiKey)
        .chat.completions.create({ model: "gemini-limited", messages: [{ role: "user", content: "x" }] })
        .catch((e) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error.headers?.get("retry-after")).toBe("7");
      expect(limited.generations()).toHaveLength(1);
      expect(await world.logOf(error.requestID!)).toMatchObject({ status: 429, cost: 0n });
    });

    it("relays a 400 INVALID_ARGUMENT to the client without failing over, and charges nothing", async () => {
      const error = (await world
        .client(rich.apiKey)
        .chat.completions.create({ model: "gemini-fo-400", messages: [{ role: "user", content: "x" }] })
        .catch((e) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.status).toBe(400);
      expect(error.message).toContain("max_output_tokens: must be positive");
      expect(gemini.generations()).toHaveLength(0);
      expect(await world.logOf(error.requestID!)).toMatchObject({ status: 400, cost: 0n });
    });
  });

  describe("channels that hang, drop or lost their key; streams cut short", () => {
    it("fails over when the first channel hangs before its headers, stalls before the first event, or drops the connection", async () => {
      const client = world.client(rich.apiKey);
      for (const [model, stream] of [["gemini-fo-hang", false], ["gemini-fo-stall", true], ["gemini-fo-drop", false], ["gemini-fo-drop", true]] as const) {
        let text: string;
        let requestId: string;
        if (stream) {
          const answer = await client.chat.completions.create({ model, messages: [{ role: "user", content: `past ${model}` }], stream: true });
          text = "";
          for await (const chunk of answer) text += chunk.choices[0]?.delta.content ?? "";
          requestId = answer._request_id!;
        } else {
          const answer = await client.chat.completions.create({ model, messages: [{ role: "user", content: `past ${model}` }] });
          text = answer.choices[0]!.message.content!;
          requestId = answer._request_id!;
        }
        expect(text, `${model} stream: ${stream}`).toBe(`You said: past ${model}`);
        expect(await world.logOf(requestId)).toMatchObject({ status: 200, attempts: 2 });
      }
    });

    it("fails over from a channel whose key Google refuses (400 API_KEY_INVALID, not 401)", async () => {
      const result = await world.client(rich.apiKey).chat.completions.create({ model: "gemini-fo-badkey", messages: [{ role: "user", content: "despite a bad key" }] });
      expect(result.choices[0]!.message.content).toBe("You said: despite a bad key");
      expect(failing.received.at(-1)!.headers["x-goog-api-key"]).toBe("AIzaRevokedKey");
      expect(await world.logOf(result._request_id!)).toMatchObject({ status: 200, attempts: 2 });
    });

    it("ends a stream whose upstream fails after content with an error, billing what was streamed", async () => {
      gemini.enqueue(streamErrorReply(3, errorBody(500), textResponse("one two three four five six seven eight nine ten")));
      const stream = await world.client(rich.apiKey).chat.completions.create({ model: "gemini-test", messages: [{ role: "user", content: "fail midway" }], stream: true });
      let text = "";
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })().catch((e) => e);
      expect(text).toBe("one two three four five six ");
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const log = await world.logOf(stream._request_id!);
      expect(log).toMatchObject({ status: 502, stream: true, estimated: true });
      expect(log.cost).toBeGreaterThan(0n);
    });

    it("ends a stream dropped after content without a finish, and bills it as estimated", async () => {
      gemini.enqueue({ kind: "drop", afterChunks: 2, response: textResponse("alpha beta gamma delta epsilon zeta") });
      const stream = await world.client(rich.apiKey).chat.completions.create({ model: "gemini-test", messages: [{ role: "user", content: "drop midway" }], stream: true });
      let text = "";
      let finish: string | null = null;
      const error = await (async () => {
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? "";
          finish = chunk.choices[0]?.finish_reason ?? finish;
        }
      })().catch((e) => e);
      expect(text).toBe("alpha beta gamma delta ");
      expect(finish).toBeNull();
      expect(error).toBeInstanceOf(Error);
      expect(await world.logOf(stream._request_id!)).toMatchObject({ stream: true, estimated: true });
    });

    it("aborts the upstream when the client goes away mid-stream", async () => {
      gemini.enqueue({ kind: "response", response: textResponse(Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ")), chunkDelayMs: 30 });
      const controller = new AbortController();
      const stream = await world.client(rich.apiKey).chat.completions.create({ model: "gemini-test", messages: [{ role: "user", content: "slow" }], stream: true }, { signal: controller.signal });
      let text = "";
      try {
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? "";
          if (text.split("word").length > 5) controller.abort();
        }
      } catch (error) {
        expect((error as Error).name).toMatch(/Abort/);
      }
      expect(await world.logOf(stream._request_id!)).toMatchObject({ status: 499, estimated: true, errorCode: "client_closed_request" });
      await eventually(async () => expect(gemini.generations().at(-1)!.aborted).toBe(true));
    });

    it("maps Gemini's finish reasons: MAX_TOKENS → length, SAFETY → content_filter", async () => {
      const client = world.client(rich.apiKey);
      gemini.enqueue({ kind: "response", response: textResponse("Cut sho", { finishReason: "MAX_TOKENS" }) }, { kind: "response", response: textResponse("", { finishReason: "SAFETY" }) });
      const long = await client.chat.completions.create({ model: "gemini-test", messages: [{ role: "user", content: "long" }], max_tokens: 2 });
      expect(long.choices[0]).toMatchObject({ message: { content: "Cut sho" }, finish_reason: "length" });
      const unsafe = await client.chat.completions.create({ model: "gemini-test", messages: [{ role: "user", content: "unsafe" }] });
      expect(unsafe.choices[0]!.finish_reason).toBe("content_filter");
      // Settlement is written behind the answer: let it land before other tests read balances.
      await Promise.all([long, unsafe].map((answer) => world.logOf(answer._request_id!)));
    });
  });

  describe("billing, exact to the micro-dollar", () => {
    // 12,000 prompt tokens of which 10,000 cached, 700 visible output, 1,300 thinking.
    const usage = { prompt: 12_000, cached: 10_000, candidates: 700, thoughts: 1_300 };

    it("bills thinking at the output rate and cached content at the cached rate, whole and streamed", async () => {
      expect(exactCost(usage)).toBe(2_500n + 1_250n + 20_000n);
      // A payer of its own: no other test's settlement lands on this balance meanwhile.
      const payer = await world.user(10_000_000n);
      for (const stream of [false, true]) {
        gemini.enqueue({ kind: "response", response: response([thoughtPart("Reading the cached document."), textPart("Cached answer.")], { usage }) });
        const before = await world.balance(payer.user.id);
        const client = world.client(payer.apiKey);
        const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Use the cache" }];
        let requestId: string;
        if (stream) {
          const answer = await client.chat.completions.create({ model: "gemini-bill", messages, stream: true, stream_options: { include_usage: true } });
          let seen: OpenAI.CompletionUsage | undefined;
          for await (const chunk of answer) seen = chunk.usage ?? seen;
          expect(seen).toMatchObject({ prompt_tokens: 12_000, completion_tokens: 2_000, prompt_tokens_details: { cached_tokens: 10_000 }, completion_tokens_details: { reasoning_tokens: 1_300 } });
          requestId = answer._request_id!;
        } else {
          const answer = await client.chat.completions.create({ model: "gemini-bill", messages });
          expect(answer.usage).toMatchObject({ prompt_tokens: 12_000, completion_tokens: 2_000, prompt_tokens_details: { cached_tokens: 10_000 }, completion_tokens_details: { reasoning_tokens: 1_300 } });
          requestId = answer._request_id!;
        }
        const log = await world.logOf(requestId);
        expect(log, `stream: ${stream}`).toMatchObject({ status: 200, stream, promptTokens: 12_000, cachedTokens: 10_000, completionTokens: 2_000, reasoningTokens: 1_300, cost: exactCost(usage), estimated: false });
        expect(before.balance - (await world.balance(payer.user.id)).balance).toBe(exactCost(usage));
      }
    });

    it("bills the same through the Responses API, whole and streamed, with the cached and reasoning counts shown", async () => {
      const payer = await world.user(10_000_000n);
      for (const stream of [false, true]) {
        gemini.enqueue({ kind: "response", response: response([thoughtPart("Reading the cached document."), textPart("Cached answer.")], { usage }) });
        const before = await world.balance(payer.user.id);
        const client = world.client(payer.apiKey);
        let done: OpenAI.Responses.Response | undefined;
        let requestId: string;
        if (stream) {
          const events = await client.responses.create({ model: "gemini-bill", input: "Use the cache", stream: true });
          for await (const event of events) if (event.type === "response.completed") done = event.response;
          requestId = events._request_id!;
        } else {
          const answer = await client.responses.create({ model: "gemini-bill", input: "Use the cache" });
          requestId = answer._request_id!;
          done = answer;
        }
        const text = done?.output.flatMap((item) => (item.type === "message" ? item.content : [])).map((part) => (part.type === "output_text" ? part.text : ""));
        expect(text, `stream: ${stream}`).toEqual(["Cached answer."]);
        expect(done?.usage).toMatchObject({ input_tokens: 12_000, output_tokens: 2_000, input_tokens_details: { cached_tokens: 10_000 }, output_tokens_details: { reasoning_tokens: 1_300 } });
        expect(await world.logOf(requestId), `stream: ${stream}`).toMatchObject({ status: 200, stream, promptTokens: 12_000, cachedTokens: 10_000, completionTokens: 2_000, cost: exactCost(usage) });
        expect(before.balance - (await world.balance(payer.user.id)).balance).toBe(exactCost(usage));
      }
    });

    it("bills the same through /v1/messages (Anthropic SDK), streamed", async () => {
      const payer = await world.user(10_000_000n);
      gemini.enqueue({ kind: "response", response: response([thoughtPart("Reading the cached document."), textPart("Cached answer.")], { usage }) });
      const before = await world.balance(payer.user.id);
      const stream = anthropicSdk(payer.apiKey).messages.stream({ model: "gemini-bill", max_tokens: 4_000, messages: [{ role: "user", content: "Use the cache" }] });
      const final = await stream.finalMessage();
      expect(final.content.filter((b) => b.type === "text")).toEqual([expect.objectContaining({ type: "text", text: "Cached answer." })]);
      expect(final.usage.output_tokens).toBe(2_000);
      expect(await world.logOf(stream.request_id!)).toMatchObject({ status: 200, stream: true, promptTokens: 12_000, cachedTokens: 10_000, completionTokens: 2_000, cost: exactCost(usage) });
      expect(before.balance - (await world.balance(payer.user.id)).balance).toBe(exactCost(usage));
    });
  });

  describe("the Responses API", () => {
    it("keeps state across turns with previous_response_id", async () => {
      const client = world.client(rich.apiKey);
      gemini.enqueue({ kind: "response", response: textResponse("First answer.") }, { kind: "response", response: textResponse("Blue, as you said.") });
      const first = await client.responses.create({ model: "gemini-test", input: "Remember: blue.", instructions: "Be brief." });
      expect(first.output_text).toBe("First answer.");
      const second = await client.responses.create({ model: "gemini-test", input: "What colour?", previous_response_id: first.id, stream: true });
      let text = "";
      let completed: OpenAI.Responses.Response | undefined;
      for await (const event of second) {
        if (event.type === "response.output_text.delta") text += event.delta;
        if (event.type === "response.completed") completed = event.response;
      }
      expect(text).toBe("Blue, as you said.");
      expect(completed?.previous_response_id).toBe(first.id);
      const [opening, continued] = gemini.generations().map((request) => request.body as { systemInstruction?: { parts: Array<{ text: string }> }; contents: GeminiContent[] });
      expect(opening!.systemInstruction).toEqual({ parts: [{ text: "Be brief." }] });
      expect(continued!.contents).toEqual([
        { role: "user", parts: [{ text: "Remember: blue." }] },
        { role: "model", parts: [{ text: "First answer." }] },
        { role: "user", parts: [{ text: "What colour?" }] },
      ]);
      expect(gemini.generations()[1]!.pathname).toBe("/v1beta/models/gemini-test:streamGenerateContent");
    });

    it("shows Gemini's thoughts as a reasoning item, whole and streamed", async () => {
      const client = world.client(rich.apiKey);
      const answer = () => response([thoughtPart("Weighing the options."), textPart("Take the train.")], { usage: { prompt: 40, candidates: 4, thoughts: 12 } });
      gemini.enqueue({ kind: "response", response: answer() }, { kind: "response", response: answer() });
      const whole = await client.responses.create({ model: "gemini-test", input: "Train or car?", reasoning: { effort: "low" } });
      expect(whole.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
      expect(whole.output[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Weighing the options." }] });
      expect(whole.output_text).toBe("Take the train.");
      expect(whole.usage).toMatchObject({ input_tokens: 40, output_tokens: 16, output_tokens_details: { reasoning_tokens: 12 } });

      const streamed = await client.responses.create({ model: "gemini-test", input: "Train or car?", reasoning: { effort: "low" }, stream: true });
      let summary = "";
      let text = "";
      for await (const event of streamed) {
        if (event.type === "response.reasoning_summary_text.delta") summary += event.delta;
        if (event.type === "response.output_text.delta") text += event.delta;
      }
      expect(summary).toBe("Weighing the options.");
      expect(text).toBe("Take the train.");
    });

    it("runs a tool loop on Gemini 3 through stored state (function_call out, function_call_output back with previous_response_id)", async () => {
      const client = world.client(rich.apiKey);
      gemini3.enqueue({ kind: "response", response: response([functionCallPart("get_weather", { city: "Nice" }, SIGNATURE)]) }, { kind: "response", response: textResponse("Nice: 24°C.") });
      const tools = [{ type: "function" as const, name: "get_weather", description: "Weather for a city", parameters: weatherTool.function.parameters, strict: false }];
      const first = await client.responses.create({ model: "gemini-3-pro-preview", input: "Weather in Nice?", tools });
      const call = first.output.find((item) => item.type === "function_call");
      expect(call).toMatchObject({ type: "function_call", name: "get_weather" });
      expect(JSON.parse(call!.type === "function_call" ? call!.arguments : "{}")).toEqual({ city: "Nice" });
      const second = await client.responses.create({
        model: "gemini-3-pro-preview",
        tools,
        previous_response_id: first.id,
        input: [{ type: "function_call_output", call_id: call!.type === "function_call" ? call!.call_id : "", output: JSON.stringify({ temperature: 24 }) }],
      });
      expect(second.output_text).toBe("Nice: 24°C.");
      const contents = contentsOf(gemini3, 1);
      expect(contents.map((c) => c.role)).toEqual(["user", "model", "user"]);
      expect(contents[1]!.parts[0]).toMatchObject({ functionCall: { name: "get_weather", args: { city: "Nice" } }, thoughtSignature: expect.any(String) });
      expect(contents[2]!.parts[0]).toEqual({ functionResponse: { name: "get_weather", response: { temperature: 24 } } });
    });
  });

  describe("the Messages API (Anthropic SDK)", () => {
    it("answers whole and streamed", async () => {
      const sdk = anthropicSdk(rich.apiKey);
      const answer = await sdk.messages.create({ model: "gemini-test", max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "Hello Gemini" }] });
      expect(answer).toMatchObject({ type: "message", role: "assistant", model: "gemini-test", content: [{ type: "text", text: "You said: Hello Gemini" }], stop_reason: "end_turn" });
      const [sent] = gemini.generations();
      expect(sent!.body).toMatchObject({ systemInstruction: { parts: [{ text: "Be brief." }] }, contents: [{ role: "user", parts: [{ text: "Hello Gemini" }] }], generationConfig: { maxOutputTokens: 100 } });
      expect(answer.usage).toMatchObject({ input_tokens: estimateInputTokens(sent!.body), output_tokens: estimateOutputTokens("You said: Hello Gemini") });

      const streamed = await sdk.messages.stream({ model: "gemini-test", max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "Hello Gemini" }] }).finalMessage();
      expect(streamed.content).toEqual(answer.content);
      expect(streamed.stop_reason).toBe("end_turn");
    });

    it("streams a function call as a tool_use block the SDK accumulates", async () => {
      const tools = [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } }];
      gemini3.enqueue({ kind: "response", response: response([thoughtPart("Need the weather."), functionCallPart("get_weather", { city: "Graz" }, SIGNATURE)], { usage: { prompt: 80, candidates: 9, thoughts: 11 } }) });
      const stream = anthropicSdk(rich.apiKey).messages.stream({ model: "gemini-3-pro-preview", max_tokens: 300, tools, messages: [{ role: "user", content: "Weather in Graz?" }] });
      const final = await stream.finalMessage();
      expect(final.stop_reason).toBe("tool_use");
      expect(final.content.find((b) => b.type === "tool_use")).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Graz" } });
      expect(final.usage.output_tokens).toBe(20);
      expect(await world.logOf(stream.request_id!)).toMatchObject({ status: 200, stream: true, promptTokens: 80, completionTokens: 20, cost: exactCost({ prompt: 80, candidates: 9, thoughts: 11 }) });
    });

    it("runs a tool loop on Gemini 3 (tool_use out, tool_result back, the model accepting the call)", async () => {
      const sdk = anthropicSdk(rich.apiKey);
      const tools = [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } }];
      gemini3.enqueue({ kind: "response", response: response([functionCallPart("get_weather", { city: "Lyon" }, SIGNATURE)]) });
      const first = await sdk.messages.create({ model: "gemini-3-pro-preview", max_tokens: 200, tools, messages: [{ role: "user", content: "Weather in Lyon?" }] });
      expect(first.stop_reason).toBe("tool_use");
      const use = first.content.find((b) => b.type === "tool_use")!;
      expect(use).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Lyon" } });

      gemini3.enqueue({ kind: "response", response: textResponse("Lyon: 18°C.") });
      const second = await sdk.messages.create({
        model: "gemini-3-pro-preview",
        max_tokens: 200,
        tools,
        messages: [
          { role: "user", content: "Weather in Lyon?" },
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: use.type === "tool_use" ? use.id : "", content: "18°C" }] },
        ],
      });
      expect(second.content).toEqual([expect.objectContaining({ type: "text", text: "Lyon: 18°C." })]);
      const contents = contentsOf(gemini3, 1);
      expect(contents.map((c) => c.role)).toEqual(["user", "model", "user"]);
      expect(contents[1]!.parts[0]).toMatchObject({ functionCall: { name: "get_weather", args: { city: "Lyon" } }, thoughtSignature: expect.any(String) });
      expect(contents[2]!.parts[0]).toMatchObject({ functionResponse: { name: "get_weather", response: expect.any(Object) } });
    });
  });

  describe("the Embeddings API (openai SDK)", () => {
    it("embeds through batchEmbedContents, float and base64, dimensions honoured, billed by prompt tokens", async () => {
      const client = world.client(rich.apiKey);
      const float = await client.embeddings.create({ model: "gemini-embedding", input: ["first text", "second text"], dimensions: 8, encoding_format: "float" });
      expect(float.data.map((d) => d.index)).toEqual([0, 1]);
      float.data.forEach((d, i) => d.embedding.forEach((value, j) => expect(value).toBeCloseTo(embeddingValues(["first text", "second text"][i]!, 8)[j]!, 6)));
      const sent = gemini.embeddings().at(-1)!;
      expect(sent.path).toContain("/v1beta/models/gemini-embedding-001:batchEmbedContents");
      expect((sent.body as { requests: Array<{ outputDimensionality?: number }> }).requests.map((r) => r.outputDimensionality)).toEqual([8, 8]);
      const log = await world.logOf(float._request_id!);
      expect(log).toMatchObject({ status: 200, endpoint: "/v1/embeddings", promptTokens: float.usage.prompt_tokens, cost: (BigInt(float.usage.prompt_tokens) * 150_000n + 999_999n) / 1_000_000n });

      // The SDK asks for base64 by default and decodes it: the same floats come back.
      const decoded = await client.embeddings.create({ model: "gemini-embedding", input: "first text", dimensions: 8 });
      decoded.data[0]!.embedding.forEach((value, j) => expect(value).toBeCloseTo(embeddingValues("first text", 8)[j]!, 6));
    });
  });
});
