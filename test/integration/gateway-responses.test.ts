import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { databaseProviders } from "../helpers/database-matrix";
import { completion, startFakeUpstream, streamEvents, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import { nativeResponse, nativeStreamEvents } from "../helpers/fake-responses";
import { GatewayWorld } from "../helpers/gateway-world";

const IN = 1_000_000n; // $1 per 1M input tokens
const OUT = 4_000_000n; // $4 per 1M output tokens

type ChatBody = { model: string; stream?: boolean; messages: Array<{ role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }>; tools?: unknown[] };

/** A chat-only upstream: answers with tool calls when tools are offered and no tool result is present yet. */
const chatHandler: Handler = (req) => {
  const body = req.body as ChatBody;
  const last = body.messages.at(-1)!;
  if (body.tools?.length && last.role !== "tool") {
    const answer = completion("", { prompt_tokens: 50, completion_tokens: 10 });
    answer.choices[0] = {
      index: 0,
      message: { role: "assistant", content: null, refusal: null, annotations: [], tool_calls: [{ id: "call_weather_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] } as never,
      logprobs: null,
      finish_reason: "tool_calls",
    };
    return { kind: "json", body: answer };
  }
  const text = last.role === "tool" ? `It is ${String(last.content)} there.` : `Turn reply to: ${typeof last.content === "string" ? last.content : JSON.stringify(last.content)}`;
  if (body.stream) return { kind: "sse", events: streamEvents(text.split(/(?= )/), { prompt_tokens: 40, completion_tokens: 8 }) };
  return { kind: "json", body: completion(text, { prompt_tokens: 40, completion_tokens: 8 }) };
};

describe.each(await databaseProviders())("gateway /v1/responses on %s", (provider) => {
  const world = new GatewayWorld();
  let chat: FakeUpstream;
  let native: FakeUpstream;
  let alice: Awaited<ReturnType<GatewayWorld["user"]>>;
  let bob: Awaited<ReturnType<GatewayWorld["user"]>>;

  beforeAll(async () => {
    await world.setUp(provider);
    chat = await startFakeUpstream(chatHandler);
    native = await startFakeUpstream((req) => {
      const body = req.body as { stream?: boolean; input: unknown[] };
      const text = `Native reply #${(body.input as unknown[]).length}`;
      return body.stream ? { kind: "sse", events: nativeStreamEvents(text) } : { kind: "json", body: nativeResponse(text) };
    });
    await world.channel({ name: "chat-only", baseUrl: chat.url, apiKey: "k", models: ["gpt-chat", "o3-mini"] });
    await world.channel({ name: "native", baseUrl: native.url, apiKey: "k", models: ["gpt-native"], supportsResponses: true });
    for (const model of ["gpt-chat", "o3-mini", "gpt-native"]) await world.price(model, IN, OUT);
    alice = await world.user(10_000_000n);
    bob = await world.user(10_000_000n);
    await world.start();
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([chat?.close(), native?.close()]);
  });

  it("answers the story prompt through a chat-only channel, stored and billed exactly", async () => {
    const client = world.client(alice.apiKey);
    const before = await world.balance(alice.user.id);
    const response = await client.responses.create({ model: "gpt-chat", input: "Tell me a three sentence bedtime story about a unicorn." });
    expect(response.id).toMatch(/^resp_/);
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.model).toBe("gpt-chat");
    expect(response.output_text).toBe("Turn reply to: Tell me a three sentence bedtime story about a unicorn.");
    expect(response.usage).toMatchObject({ input_tokens: 40, output_tokens: 8, total_tokens: 48 });
    const sent = chat.received.at(-1)!.body as ChatBody;
    expect(sent.messages).toEqual([{ role: "user", content: "Tell me a three sentence bedtime story about a unicorn." }]);
    const log = await world.logOf(response._request_id!);
    expect(log).toMatchObject({ endpoint: "/v1/responses", status: 200, promptTokens: 40, completionTokens: 8, cost: 72n });
    expect((await world.balance(alice.user.id)).balance).toBe(before.balance - 72n);
    expect(await client.responses.retrieve(response.id)).toMatchObject({ id: response.id, output_text: response.output_text });
  });

  it("passes reasoning effort on (o3-mini, high) and bills reasoning tokens as output", async () => {
    chat.setHandler(() => ({
      kind: "json",
      body: {
        ...completion("About 700 pounds.", { prompt_tokens: 20, completion_tokens: 300 }),
        usage: { prompt_tokens: 20, completion_tokens: 300, total_tokens: 320, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 280 } },
      },
    }));
    try {
      const response = await world.client(alice.apiKey).responses.create({ model: "o3-mini", input: "How much wood would a woodchuck chuck?", reasoning: { effort: "high" } });
      expect((chat.received.at(-1)!.body as Record<string, unknown>).reasoning_effort).toBe("high");
      expect(response.usage).toMatchObject({ output_tokens: 300, output_tokens_details: { reasoning_tokens: 280 } });
      expect(response.reasoning).toMatchObject({ effort: "high" });
      const log = await world.logOf(response._request_id!);
      expect(log).toMatchObject({ reasoningTokens: 280, completionTokens: 300, cost: 20n + 1_200n });
    } finally {
      chat.setHandler(chatHandler);
    }
  });

  it("sends instructions as a system message, and does not carry them into the next turn", async () => {
    const client = world.client(alice.apiKey);
    const first = await client.responses.create({ model: "gpt-chat", instructions: "Talk like a pirate.", input: "Hello" });
    expect((chat.received.at(-1)!.body as ChatBody).messages[0]).toEqual({ role: "system", content: "Talk like a pirate." });
    expect(first.instructions).toBe("Talk like a pirate.");
    await client.responses.create({ model: "gpt-chat", previous_response_id: first.id, input: "And again" });
    const roles = (chat.received.at(-1)!.body as ChatBody).messages.map((m) => m.role);
    expect(roles).toEqual(["user", "assistant", "user"]);
  });

  it("round-trips function calls: function_call → function_call_output → final answer", async () => {
    const client = world.client(alice.apiKey);
    const tools = [{ type: "function" as const, name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true }];
    const first = await client.responses.create({ model: "gpt-chat", input: "Weather in Paris?", tools });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", call_id: "call_weather_1", name: "get_weather", arguments: '{"city":"Paris"}' });
    const second = await client.responses.create({
      model: "gpt-chat",
      previous_response_id: first.id,
      tools,
      input: [{ type: "function_call_output", call_id: "call_weather_1", output: "sunny, 21°C" }],
    });
    expect(second.output_text).toBe("It is sunny, 21°C there.");
    const sent = (chat.received.at(-1)!.body as ChatBody).messages;
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(sent[1]!.tool_calls).toEqual([{ id: "call_weather_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    expect(sent[2]).toMatchObject({ role: "tool", tool_call_id: "call_weather_1", content: "sunny, 21°C" });
  });

  it("streams the full event sequence with sequence numbers and the usage at the end", async () => {
    const stream = await world.client(alice.apiKey).responses.create({ model: "gpt-chat", input: "Stream please", stream: true });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = "";
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(types.slice(0, 4)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
    expect(types.slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(text).toBe("Turn reply to: Stream please");
    expect(completed!.usage).toMatchObject({ input_tokens: 40, output_tokens: 8 });
    const stored = await world.client(alice.apiKey).responses.retrieve(completed!.id);
    expect(stored.output_text).toBe(text);
  });

  it("continues a 3-turn conversation across a chat-only and a native channel, sending the whole history", async () => {
    const client = world.client(alice.apiKey);
    const one = await client.responses.create({ model: "gpt-chat", input: "First question" });
    const two = await client.responses.create({ model: "gpt-native", previous_response_id: one.id, input: "Second question" });
    expect(two.output_text).toBe("Native reply #3");
    expect(two.previous_response_id).toBe(one.id);
    const nativeSent = native.received.at(-1)!.body as { input: Array<{ role?: string; content: unknown }>; store: boolean; previous_response_id?: string };
    expect(nativeSent.store).toBe(false);
    expect(nativeSent.previous_response_id).toBeUndefined();
    expect(nativeSent.input.map((i) => i.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(nativeSent.input)).toContain("Turn reply to: First question");

    const three = await client.responses.create({ model: "gpt-chat", previous_response_id: two.id, input: "Third question", stream: true });
    for await (const _ of three) void _;
    const chatSent = (chat.received.at(-1)!.body as ChatBody).messages;
    expect(chatSent.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user"]);
    expect(chatSent.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))).toEqual([
      "First question",
      "Turn reply to: First question",
      "Second question",
      "Native reply #3",
      "Third question",
    ]);
  });

  it("relays a native stream with the client's previous id echoed, and stores it", async () => {
    const client = world.client(alice.apiKey);
    const first = await client.responses.create({ model: "gpt-native", input: "Hi" });
    const stream = await client.responses.create({ model: "gpt-native", previous_response_id: first.id, input: "Stream it", stream: true });
    let text = "";
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text).toBe("Native reply #3");
    expect(completed).toMatchObject({ previous_response_id: first.id, store: true });
    expect((await client.responses.retrieve(completed!.id)).output_text).toBe("Native reply #3");
    const log = await world.logOf(stream._request_id!);
    expect(log).toMatchObject({ stream: true, promptTokens: 30, completionTokens: 6, cost: 54n });
  });

  it("retrieves, lists input items, deletes — and never shows one user's response to another", async () => {
    const client = world.client(alice.apiKey);
    const response = await client.responses.create({
      model: "gpt-chat",
      input: [
        { role: "user", content: "one" },
        { role: "user", content: [{ type: "input_text", text: "two" }] },
        { role: "user", content: "three" },
      ],
    });
    const items = await client.responses.inputItems.list(response.id, { order: "asc" });
    expect(items.data.map((i) => (i as { content: Array<{ text: string }> }).content[0]!.text)).toEqual(["one", "two", "three"]);
    expect(items.data.every((i) => typeof (i as { id?: string }).id === "string")).toBe(true);
    const page = await client.responses.inputItems.list(response.id, { limit: 2 });
    expect(page.data.map((i) => (i as { content: Array<{ text: string }> }).content[0]!.text)).toEqual(["three", "two"]);
    expect(page.has_more).toBe(true);

    const stranger = world.client(bob.apiKey);
    expect(await stranger.responses.retrieve(response.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await stranger.responses.inputItems.list(response.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await stranger.responses.delete(response.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await stranger.responses.create({ model: "gpt-chat", previous_response_id: response.id, input: "steal" }).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);

    await client.responses.delete(response.id);
    expect(await client.responses.retrieve(response.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("does not keep store:false responses: they cannot be retrieved or continued", async () => {
    const client = world.client(alice.apiKey);
    const response = await client.responses.create({ model: "gpt-chat", input: "forget me", store: false });
    expect((response as unknown as { store: boolean }).store).toBe(false);
    expect(await client.responses.retrieve(response.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    const next = await client.responses.create({ model: "gpt-chat", previous_response_id: response.id, input: "more" }).catch((e) => e);
    expect(next).toBeInstanceOf(OpenAI.NotFoundError);
    expect(next.message).toContain(response.id);
  });

  it("refuses hosted tools on a chat-only channel with a clear 400", async () => {
    const error = await world.client(alice.apiKey).responses.create({ model: "gpt-chat", input: "search", tools: [{ type: "web_search_preview" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toMatch(/web_search/);
  });

  it("is served by the sandbox too, streaming and not", async () => {
    const newcomer = await world.user(0n);
    const client = world.client(newcomer.apiKey);
    const response = await client.responses.create({ model: "sandbox-chat", input: "Hello responses" });
    expect(response.output_text).toContain("Hello responses");
    const stream = await client.responses.create({ model: "sandbox-chat", input: "Hello responses", stream: true });
    let text = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") text += event.delta;
    expect(text).toBe(response.output_text);
    const follow = await client.responses.create({ model: "sandbox-chat", previous_response_id: response.id, input: "and more" });
    expect(follow.output_text).toContain("and more");
  });
});
