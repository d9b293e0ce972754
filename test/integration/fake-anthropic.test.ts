import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import {
  FAKE_ANTHROPIC_API_KEY,
  errorReply,
  estimateInputTokens,
  estimateOutputTokens,
  message,
  messageEvents,
  startFakeAnthropic,
  streamErrorReply,
  textBlock,
  textMessage,
  thinkingBlock,
  toolUseBlock,
  usage,
  type FakeAnthropic,
} from "../helpers/fake-anthropic";

/** The official SDK pointed straight at the fake proves the fake speaks Anthropic's wire format. */
describe("fake Anthropic API, seen by the official SDK", () => {
  let fake: FakeAnthropic;
  let client: Anthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    client = new Anthropic({ baseURL: fake.origin, apiKey: FAKE_ANTHROPIC_API_KEY, maxRetries: 0, timeout: 10_000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.received.length = 0;
    fake.setHandler(undefined);
    fake.setAuth({ apiKey: FAKE_ANTHROPIC_API_KEY });
  });

  const params = { model: "claude-sonnet-5", max_tokens: 256, messages: [{ role: "user" as const, content: "Hello there" }] };

  it("answers messages.create with the default echo and deterministic usage, recording headers and body", async () => {
    const answer = await client.messages.create(params, { headers: { "anthropic-beta": "prompt-caching-2024-07-31" } });
    expect(answer.content).toEqual([{ type: "text", text: "You said: Hello there", citations: null }]);
    expect(answer).toMatchObject({ type: "message", role: "assistant", model: "claude-sonnet-5", stop_reason: "end_turn" });
    expect(answer.usage).toMatchObject({
      input_tokens: estimateInputTokens(params),
      output_tokens: estimateOutputTokens("You said: Hello there"),
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
    const [request] = fake.messages();
    // SDK 1.x sends the API key as a Bearer token and a dated anthropic-version of its own.
    expect(request.headers.authorization).toBe(`Bearer ${FAKE_ANTHROPIC_API_KEY}`);
    expect(request.headers["x-api-key"]).toBeUndefined();
    expect(request.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
    expect(request.body).toEqual(params);
  });

  it("streams text, tool_use, thinking and cache usage that the SDK reassembles into the scripted message", async () => {
    const scripted = message(
      [thinkingBlock("Let me think about the weather in Paris.", "sig-abc123"), textBlock("Checking the weather now."), toolUseBlock("get_weather", { city: "Paris", units: { temperature: "celsius" } }, "toolu_01")],
      { usage: { input_tokens: 120, output_tokens: 57, cache_read_input_tokens: 2000, cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 40 } } },
    );
    fake.enqueue({ kind: "message", message: scripted });
    const stream = client.messages.stream(params);
    const deltaTypes: string[] = [];
    const eventTypes: string[] = [];
    stream.on("streamEvent", (event) => {
      eventTypes.push(event.type);
      if (event.type === "content_block_delta") deltaTypes.push(event.delta.type);
    });
    const final = await stream.finalMessage();
    expect(final).toMatchObject(JSON.parse(JSON.stringify(scripted)));
    expect(final.content[2]).toEqual({ type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris", units: { temperature: "celsius" } }, caller: { type: "direct" } });
    expect(final.usage).toEqual({
      input_tokens: 120,
      output_tokens: 57,
      cache_read_input_tokens: 2000,
      cache_creation_input_tokens: 340,
      cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 40 },
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: "standard",
      inference_geo: null,
      speed: null,
    });
    expect(eventTypes[0]).toBe("message_start");
    expect(eventTypes.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(deltaTypes).toContain("thinking_delta");
    expect(deltaTypes).toContain("signature_delta");
    expect(deltaTypes.filter((t) => t === "input_json_delta").length).toBeGreaterThan(2);
    expect(deltaTypes.filter((t) => t === "text_delta").length).toBeGreaterThan(1);
  });

  it("puts input-side usage in message_start and the final cumulative counts in message_delta", () => {
    const scripted = textMessage("Hi", { usage: { input_tokens: 9, output_tokens: 30, cache_read_input_tokens: 5, cache_creation: { ephemeral_5m_input_tokens: 7, ephemeral_1h_input_tokens: 0 } } });
    const events = messageEvents(scripted);
    expect(events.map((e) => e.type)).toEqual(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    const start = events[0] as Extract<(typeof events)[number], { type: "message_start" }>;
    expect(start.message.usage).toMatchObject({ input_tokens: 9, cache_read_input_tokens: 5, cache_creation_input_tokens: 7, output_tokens: 1 });
    expect(start.message.content).toEqual([]);
    expect(start.message.stop_reason).toBeNull();
    const delta = events[5] as Extract<(typeof events)[number], { type: "message_delta" }>;
    expect(delta.usage).toMatchObject({ input_tokens: 9, cache_read_input_tokens: 5, cache_creation_input_tokens: 7, output_tokens: 30 });
    expect(delta.delta.stop_reason).toBe("end_turn");
  });

  it("streams the default answer too", async () => {
    const final = await client.messages.stream(params).finalMessage();
    expect(final.content).toEqual([{ type: "text", text: "You said: Hello there", citations: null }]);
    expect(final.usage.input_tokens).toBe(estimateInputTokens(params));
    expect(fake.messages()[0].body.stream).toBe(true);
  });

  it("counts tokens deterministically", async () => {
    const countParams = { model: "claude-sonnet-5", messages: params.messages, system: "Be brief." };
    const counted = await client.messages.countTokens(countParams);
    expect(counted).toEqual({ input_tokens: estimateInputTokens(countParams) });
    expect(fake.received[0].pathname).toBe("/v1/messages/count_tokens");
  });

  const statuses = [
    [400, BadRequestError, "invalid_request_error"],
    [401, AuthenticationError, "authentication_error"],
    [403, PermissionDeniedError, "permission_error"],
    [404, NotFoundError, "not_found_error"],
    [413, ContentTooLargeError, "request_too_large"],
    [429, RateLimitError, "rate_limit_error"],
    [500, InternalServerError, "api_error"],
    [529, OverloadedError, "overloaded_error"],
  ] as const;
  it.each(statuses)("HTTP %i raises the SDK's own error class with Anthropic's error body", async (status, ErrorClass, type) => {
    fake.enqueue(errorReply(status), errorReply(status));
    const error = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, type, requestID: expect.stringMatching(/^req_fake/) });
    expect((error as APIError).error).toMatchObject({ type: "error", error: { type, message: expect.any(String) }, request_id: expect.stringMatching(/^req_fake/) });
    if (status === 429) expect((error as APIError).headers?.get("retry-after")).toBe("1");
    // Streams fail the same way.
    await expect(client.messages.stream(params).finalMessage()).rejects.toBeInstanceOf(ErrorClass);
  });

  it("529 is the SDK's OverloadedError, a kind of InternalServerError", async () => {
    fake.enqueue(errorReply(529));
    const error = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it("rejects a wrong or missing key with 401 authentication_error, accepts an auth token only when configured", async () => {
    const wrong = new Anthropic({ baseURL: fake.origin, apiKey: "sk-ant-wrong", maxRetries: 0 });
    await expect(wrong.messages.create(params)).rejects.toBeInstanceOf(AuthenticationError);
    const bearer = new Anthropic({ baseURL: fake.origin, apiKey: null, authToken: "token-123", maxRetries: 0 });
    await expect(bearer.messages.create(params)).rejects.toMatchObject({ status: 401, type: "authentication_error" });
    fake.setAuth({ authToken: "token-123" });
    expect((await bearer.messages.create(params)).content[0]).toMatchObject({ text: "You said: Hello there" });
    expect(fake.received.at(-1)!.headers.authorization).toBe("Bearer token-123");
    fake.setAuth({ bearer: false });
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("accepts x-api-key as Claude Code and older SDKs send it", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${fake.origin}/v1/messages?beta=true`, { method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers }, body: JSON.stringify(params) });
    fake.setAuth({ bearer: false });
    const ok = await post({ "x-api-key": FAKE_ANTHROPIC_API_KEY });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("request-id")).toMatch(/^req_fake/);
    expect(await ok.json()).toMatchObject({ type: "message", content: [{ type: "text", text: "You said: Hello there" }] });
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" }, request_id: expect.stringMatching(/^req_fake/) });
  });

  it("requires anthropic-version", async () => {
    const response = await fetch(`${fake.origin}/v1/messages`, { method: "POST", headers: { "x-api-key": FAKE_ANTHROPIC_API_KEY, "content-type": "application/json" }, body: JSON.stringify(params) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("anthropic-version") } });
  });

  it("an error event after HTTP 200, before any content or mid-stream, raises an APIError", async () => {
    for (const where of ["content", "mid"] as const) {
      fake.enqueue(streamErrorReply(where));
      const seen: string[] = [];
      const stream = client.messages.stream(params);
      stream.on("streamEvent", (event) => seen.push(event.type));
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ type: "overloaded_error", error: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } });
      expect(seen.includes("content_block_delta")).toBe(where === "mid");
    }
  });

  it("a dropped connection is a connection error; a hang times out", async () => {
    fake.enqueue({ kind: "drop" });
    await expect(client.messages.create(params)).rejects.toMatchObject({ name: "APIConnectionError" });
    fake.enqueue({ kind: "drop", afterEvents: 4 });
    await expect(client.messages.stream(params).finalMessage()).rejects.toBeInstanceOf(Error);
    fake.enqueue({ kind: "hang" });
    await expect(client.messages.create(params, { timeout: 300 })).rejects.toMatchObject({ name: "APIConnectionTimeoutError" });
    await expect.poll(() => fake.messages().at(-1)!.aborted).toBe(true);
  });

  it("can answer unscripted requests with a fixed usage", async () => {
    const fixed = await startFakeAnthropic({ defaultUsage: { input_tokens: 1000, cache_read_input_tokens: 200 } });
    try {
      const other = new Anthropic({ baseURL: fixed.origin, apiKey: FAKE_ANTHROPIC_API_KEY, maxRetries: 0 });
      const answer = await other.messages.stream(params).finalMessage();
      expect(answer.usage).toMatchObject({ input_tokens: 1000, cache_read_input_tokens: 200, output_tokens: estimateOutputTokens("You said: Hello there") });
    } finally {
      await fixed.close();
    }
  });

  it("builds usage with cache fields shaped like Anthropic's", () => {
    expect(usage({ input_tokens: 3, output_tokens: 4, cache_read_input_tokens: 10, cache_creation: { ephemeral_5m_input_tokens: 1, ephemeral_1h_input_tokens: 2 } })).toMatchObject({
      cache_creation_input_tokens: 3,
      cache_creation: { ephemeral_5m_input_tokens: 1, ephemeral_1h_input_tokens: 2 },
    });
  });
});
