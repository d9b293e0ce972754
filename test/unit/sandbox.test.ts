import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { sandboxProvider } from "@/lib/gateway/providers/sandbox";
import { UpstreamConnectionError, type ChannelConfig, type ChatCompletionCall, type UpstreamResponse } from "@/lib/gateway/providers/types";
import { countMessageTokens, countTokens } from "@/lib/gateway/pipeline/tokens";

type Json = Record<string, any>;

const CHANNEL: ChannelConfig = { id: "ch_1", name: "Sandbox", type: "sandbox", baseUrl: null, apiKey: null, timeoutMs: 30_000, config: { streamDelayMs: 0 } };

interface CallOptions {
  stream?: boolean;
  signal?: AbortSignal;
  requestId?: string;
  config?: Record<string, unknown> | null;
}

function makeCall(body: Json, options: CallOptions = {}): ChatCompletionCall {
  return {
    channel: { ...CHANNEL, config: options.config === undefined ? CHANNEL.config : options.config },
    body: { model: "sandbox-chat", ...body },
    stream: options.stream ?? false,
    signal: options.signal ?? new AbortController().signal,
    requestId: options.requestId ?? "req_test_1",
  };
}

const user = (content: unknown) => ({ role: "user", content });

async function readAll(response: UpstreamResponse): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

async function complete(body: Json, options: CallOptions = {}) {
  const response = await sandboxProvider.chatCompletions(makeCall(body, options));
  const raw = await readAll(response);
  return { response, raw, json: JSON.parse(raw) as Json };
}

/** Parses an SSE body strictly: every event is exactly one `data:` line and a blank line. */
function parseSse(raw: string) {
  expect(raw.endsWith("\n\n")).toBe(true);
  const events = raw.slice(0, -2).split("\n\n");
  const data = events.map((event) => {
    expect(event).toMatch(/^data: [^\n]+$/);
    return event.slice("data: ".length);
  });
  expect(data.at(-1)).toBe("[DONE]");
  expect(data.slice(0, -1)).not.toContain("[DONE]");
  return data.slice(0, -1).map((d) => JSON.parse(d) as Json);
}

async function stream(body: Json, options: CallOptions = {}) {
  const response = await sandboxProvider.chatCompletions(makeCall(body, { ...options, stream: true }));
  expect(response.status).toBe(200);
  expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
  const raw = await readAll(response);
  return { response, raw, chunks: parseSse(raw) };
}

/** The content of one choice, assembled from its stream chunks. */
function streamedText(chunks: Json[], index = 0): string {
  return chunks
    .flatMap((c) => c.choices)
    .filter((c: Json) => c.index === index && typeof c.delta.content === "string")
    .map((c: Json) => c.delta.content)
    .join("");
}

function streamedLogprobs(chunks: Json[], index = 0): Json[] {
  return chunks.flatMap((c) => c.choices).filter((c: Json) => c.index === index && c.logprobs?.content).flatMap((c: Json) => c.logprobs.content);
}

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", minLength: 2 },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer", minimum: 3, maximum: 5 },
      },
      required: ["city", "unit", "days"],
      additionalProperties: false,
    },
  },
};

describe("sandbox provider: non-stream", () => {
  it("describes itself as a keyless, base-URL-free channel type", () => {
    expect(sandboxProvider.type).toBe("sandbox");
    expect(sandboxProvider.needsBaseUrl).toBe(false);
  });

  it("returns an OpenAI chat.completion", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { response, json } = await complete({ messages: [user("Hello world, how are you today?")], temperature: 0.3, seed: 7, user: "u1", metadata: { a: "b" }, some_future_field: { x: 1 } });
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({ "content-type": "application/json", "x-request-id": "req_test_1" });
    expect(json.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(json.object).toBe("chat.completion");
    expect(json.created).toBeGreaterThanOrEqual(before);
    expect(json.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(json.model).toBe("sandbox-chat");
    expect(json.system_fingerprint).toBe("fp_sandbox");
    expect(json.service_tier).toBe("default");
    expect(json.choices).toHaveLength(1);
    const [choice] = json.choices;
    expect(choice).toEqual({
      index: 0,
      message: { role: "assistant", content: expect.any(String), refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: "stop",
    });
    expect(choice.message.content).toBe('You said: "Hello world, how are you today?". (sandbox-chat echoes your last message: 6 words, 31 characters.)');
    expect(Object.keys(json.usage).sort()).toEqual(["completion_tokens", "completion_tokens_details", "prompt_tokens", "prompt_tokens_details", "total_tokens"]);
  });

  it("is deterministic apart from id and created, which follow the request id", async () => {
    const body = { messages: [user("Same request, same bytes")] };
    const a = await complete(body, { requestId: "req_a" });
    const b = await complete(body, { requestId: "req_a" });
    const c = await complete(body, { requestId: "req_b" });
    const normalise = (json: Json) => ({ ...json, created: 0 });
    expect(normalise(b.json)).toEqual(normalise(a.json));
    expect(c.json.id).not.toBe(a.json.id);
    expect({ ...normalise(c.json), id: a.json.id }).toEqual(normalise(a.json));
  });

  it("echoes the model id it was given", async () => {
    const { json } = await complete({ model: "sandbox-tiny", messages: [user("hi")] });
    expect(json.model).toBe("sandbox-tiny");
    expect(json.choices[0].message.content).toContain("sandbox-tiny echoes your last message: 1 word, 2 characters.");
  });

  it("mentions images and the system prompt, and stays short for long input", async () => {
    const { json } = await complete({
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        user([
          { type: "text", text: "What is in this picture?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,BBBB", detail: "low" } },
        ]),
      ],
    });
    const content: string = json.choices[0].message.content;
    expect(content).toContain('You said: "What is in this picture?" and 2 images.');
    expect(content).toContain("system prompt of 5 words");

    const long = Array.from({ length: 500 }, (_, i) => `word${i}`).join(" ");
    const { json: longJson } = await complete({ messages: [{ role: "developer", content: "Be brief." }, user(long)] });
    const longContent: string = longJson.choices[0].message.content;
    expect(longContent.split(/\s+/).length).toBeLessThan(80);
    expect(longContent).toContain("500 words");
    expect(longContent).toContain("…");
  });

  it("answers an image-only message and a conversation without a user message", async () => {
    const imageOnly = await complete({ messages: [user([{ type: "image_url", image_url: { url: "https://example.com/a.png" } }])] });
    expect(imageOnly.json.choices[0].message.content).toMatch(/^You sent 1 image and no text\./);
    const none = await complete({ messages: [{ role: "system", content: "Only a system prompt." }] });
    expect(none.json.choices[0].message.content).toBe("There is no user message for sandbox-chat to echo.");
  });

  it("reports usage from the real tokenizer", async () => {
    const messages = [{ role: "system", content: "Be terse." }, user("Count my tokens, please.")];
    const { json } = await complete({ messages });
    expect(json.usage.prompt_tokens).toBe(countMessageTokens(messages));
    expect(json.usage.completion_tokens).toBe(countTokens(json.choices[0].message.content));
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + json.usage.completion_tokens);
    expect(json.usage.prompt_tokens_details).toEqual({ cached_tokens: 0 });
    expect(json.usage.completion_tokens_details).toEqual({ reasoning_tokens: 0 });
  });

  it("counts tool definitions in the prompt", async () => {
    const messages = [user("What is the weather in Paris?")];
    const { json } = await complete({ messages, tools: [WEATHER_TOOL] });
    expect(json.usage.prompt_tokens).toBe(countMessageTokens(messages) + countTokens(JSON.stringify([WEATHER_TOOL])));
  });

  it("returns n choices and bills all of them", async () => {
    const { json } = await complete({ messages: [user("three please")], n: 3 });
    expect(json.choices.map((c: Json) => c.index)).toEqual([0, 1, 2]);
    const content = json.choices[0].message.content;
    for (const choice of json.choices) expect(choice.message.content).toBe(content);
    expect(json.usage.completion_tokens).toBe(3 * countTokens(content));
  });

  it("truncates to max_tokens with finish_reason length", async () => {
    const full = (await complete({ messages: [user("a fairly ordinary sentence to echo back")] })).json.choices[0].message.content as string;
    const { json } = await complete({ messages: [user("a fairly ordinary sentence to echo back")], max_tokens: 5 });
    const content: string = json.choices[0].message.content;
    expect(json.choices[0].finish_reason).toBe("length");
    expect(json.usage.completion_tokens).toBe(5);
    expect(countTokens(content)).toBe(5);
    expect(full.startsWith(content)).toBe(true);

    const preferred = await complete({ messages: [user("a fairly ordinary sentence")], max_tokens: 50, max_completion_tokens: 3 });
    expect(preferred.json.usage.completion_tokens).toBe(3);

    const roomy = await complete({ messages: [user("hi")], max_tokens: 1000 });
    expect(roomy.json.choices[0].finish_reason).toBe("stop");
  });

  it("never cuts a character in half when truncating", async () => {
    const text = "😀🎉 世界 ünïcödé 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧‍👦";
    const full = (await complete({ messages: [user(text)] })).json.choices[0].message.content as string;
    for (let max = 1; max <= 40; max++) {
      const { json } = await complete({ messages: [user(text)], max_tokens: max });
      const content: string = json.choices[0].message.content;
      expect(content).not.toContain("\uFFFD");
      expect(full.startsWith(content)).toBe(true);
      expect(json.usage.completion_tokens).toBeLessThanOrEqual(max);
    }
  });

  it("cuts at the earliest stop sequence", async () => {
    const { json } = await complete({ messages: [user("alpha beta gamma")], stop: "beta" });
    expect(json.choices[0].message.content).toBe('You said: "alpha ');
    expect(json.choices[0].finish_reason).toBe("stop");
    expect(json.usage.completion_tokens).toBe(countTokens('You said: "alpha '));

    const multi = await complete({ messages: [user("alpha beta gamma")], stop: ["gamma", "said", "zzz"] });
    expect(multi.json.choices[0].message.content).toBe("You ");

    const missing = await complete({ messages: [user("alpha")], stop: ["zzz"] });
    expect(missing.json.choices[0].message.content).toContain("alpha");
  });

  it("refuses models outside the sandbox- namespace like OpenAI does", async () => {
    const { response, json } = await complete({ model: "gpt-4o", messages: [user("hi")] });
    expect(response.status).toBe(404);
    expect(json.error).toMatchObject({ type: "invalid_request_error", code: "model_not_found", param: "model" });
  });

  it("ignores `<|endoftext|>` and friends in text it produces", async () => {
    const { json } = await complete({ messages: [user("hi")], response_format: { type: "json_schema", json_schema: { name: "x", schema: { const: "<|endoftext|>" } } } });
    expect(json.choices[0].message.content).toBe('"<|endoftext|>"');
    expect(json.usage.completion_tokens).toBeGreaterThan(1);
  });
});

describe("sandbox provider: streaming", () => {
  it("streams chunks whose text equals the non-stream content", async () => {
    const body = { messages: [user("Stream me, word by word, please!")] };
    const { json } = await complete(body);
    const { chunks } = await stream(body);
    const content = json.choices[0].message.content as string;
    expect(streamedText(chunks)).toBe(content);

    for (const chunk of chunks) {
      expect(chunk.id).toBe(json.id);
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.model).toBe("sandbox-chat");
      expect(chunk.system_fingerprint).toBe("fp_sandbox");
      expect(chunk).not.toHaveProperty("usage");
      expect(chunk.choices).toHaveLength(1);
    }
    expect(chunks[0].choices[0]).toEqual({ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null });
    const words = chunks.slice(1, -1).map((c) => c.choices[0].delta.content as string);
    expect(words.length).toBeGreaterThan(5);
    words.slice(1).forEach((w) => expect(w).toMatch(/^\s\S/));
    expect(chunks.at(-1)!.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "stop" });
  });

  it("sends a usage chunk only when include_usage is set, with usage: null before it", async () => {
    const body = { messages: [user("usage please")] };
    const { json } = await complete(body);
    const { chunks } = await stream({ ...body, stream_options: { include_usage: true } });
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(json.usage);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();

    const without = await stream({ ...body, stream_options: { include_usage: false } });
    expect(without.chunks.every((c) => !("usage" in c))).toBe(true);
    expect(without.chunks.at(-1)!.choices[0].finish_reason).toBe("stop");
  });

  it("streams n choices with their indexes", async () => {
    const body = { messages: [user("two of these")], n: 2, stream_options: { include_usage: true } };
    const { json } = await complete(body);
    const { chunks } = await stream(body);
    for (const index of [0, 1]) expect(streamedText(chunks, index)).toBe(json.choices[index].message.content);
    const finishes = chunks.flatMap((c) => c.choices).filter((c: Json) => c.finish_reason);
    expect(finishes.map((c: Json) => c.index)).toEqual([0, 1]);
    expect(chunks.at(-1)!.usage).toEqual(json.usage);
  });

  it("streams truncation and stop sequences the same way", async () => {
    for (const extra of [{ max_tokens: 4 }, { stop: ["echoes"] }, { max_completion_tokens: 2, n: 2 }]) {
      const body = { messages: [user("identical either way")], ...extra };
      const { json } = await complete(body);
      const { chunks } = await stream(body);
      expect(streamedText(chunks)).toBe(json.choices[0].message.content);
      const finish = chunks.flatMap((c) => c.choices).find((c: Json) => c.finish_reason);
      expect(finish.finish_reason).toBe(json.choices[0].finish_reason);
    }
  });

  it("paces words by the channel's streamDelayMs, 15 ms by default", async () => {
    const body = { messages: [user("one two three")] };
    const words = (await stream(body)).chunks.length - 2;
    let started = performance.now();
    await stream(body, { config: { streamDelayMs: 20 } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(20 * (words - 1) - 5);
    started = performance.now();
    await stream(body, { config: null });
    expect(performance.now() - started).toBeGreaterThanOrEqual(15 * (words - 1) - 5);
  });
});

describe("sandbox provider: tools", () => {
  it("answers in text when tools are merely offered, so an agent's loop comes to an end", async () => {
    const { json } = await complete({ messages: [user("What is the weather in Paris?")], tools: [WEATHER_TOOL] });
    expect(json.choices[0].finish_reason).toBe("stop");
    expect(json.choices[0].message).not.toHaveProperty("tool_calls");
    const auto = await complete({ messages: [user("x")], tools: [WEATHER_TOOL], tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [WEATHER_TOOL] } } });
    expect(auto.json.choices[0].message).not.toHaveProperty("tool_calls");
  });

  it("calls the tool a [sandbox:tool=NAME] directive names, and refuses a name not in tools", async () => {
    const second = { type: "function", function: { name: "lookup.v2", parameters: { type: "object", properties: {} } } };
    const { json } = await complete({ messages: [user("Find it [sandbox:tool=lookup.v2]")], tools: [WEATHER_TOOL, second] });
    expect(json.choices[0].message.tool_calls[0].function.name).toBe("lookup.v2");
    const missing = await complete({ messages: [user("x [sandbox:tool=nope]")], tools: [WEATHER_TOOL] });
    expect(missing.response.status).toBe(400);
    expect(missing.json.error).toMatchObject({ type: "invalid_request_error", param: "tools" });
  });

  it("calls the first function tool for tool_choice required, with arguments that satisfy its schema", async () => {
    const { json } = await complete({ messages: [user("What is the weather in Paris?")], tools: [WEATHER_TOOL, { type: "function", function: { name: "other" } }], tool_choice: "required" });
    const [choice] = json.choices;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/), type: "function", function: { name: "get_weather", arguments: expect.any(String) } }],
      refusal: null,
      annotations: [],
    });
    const args = JSON.parse(choice.message.tool_calls[0].function.arguments);
    expect(z.fromJSONSchema(WEATHER_TOOL.function.parameters as never).parse(args)).toEqual(args);
    expect(args).toEqual({ city: "What is the weather", unit: "celsius", days: 3 });
    expect(json.usage.completion_tokens).toBe(countTokens("get_weather") + countTokens(choice.message.tool_calls[0].function.arguments));
  });

  it("generates valid arguments for a range of schemas", async () => {
    const schemas: Json[] = [
      { type: "object", properties: { tags: { type: "array", items: { type: "string", enum: ["a", "b", "c"] }, minItems: 2, uniqueItems: true } }, required: ["tags"] },
      {
        type: "object",
        properties: {
          address: { type: "object", properties: { street: { type: "string" }, zip: { type: "string", minLength: 5, maxLength: 5 } }, required: ["street", "zip"] },
          when: { type: "string", format: "date-time" },
          email: { type: "string", format: "email" },
        },
      },
      { type: "object", properties: { count: { type: "integer", exclusiveMinimum: 10, maximum: 12 }, ratio: { type: "number", minimum: 0, maximum: 0.5 }, flag: { type: "boolean" } }, required: ["count", "ratio", "flag"] },
      { type: "object", properties: { note: { type: ["string", "null"] }, mode: { const: "fast" }, pick: { anyOf: [{ type: "null" }, { type: "integer", minimum: 100 }] } }, required: ["note", "mode", "pick"] },
      {
        type: "object",
        $defs: { item: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1, maximum: 9 } }, required: ["sku", "qty"], additionalProperties: false } },
        properties: { items: { type: "array", items: { $ref: "#/$defs/item" }, minItems: 3 } },
        required: ["items"],
        additionalProperties: false,
      },
    ];
    for (const parameters of schemas) {
      const tool = { type: "function", function: { name: "fn", parameters, strict: true } };
      const { json } = await complete({ messages: [user("Please do the thing")], tools: [tool], tool_choice: "required" });
      const args = JSON.parse(json.choices[0].message.tool_calls[0].function.arguments);
      const result = z.fromJSONSchema(parameters as never).safeParse(args);
      expect(result.success, `${JSON.stringify(parameters)} → ${JSON.stringify(args)}`).toBe(true);
    }
  });

  it("calls the function tool_choice names, or none", async () => {
    const second = { type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } };
    const named = await complete({ messages: [user("look it up")], tools: [WEATHER_TOOL, second], tool_choice: { type: "function", function: { name: "lookup" } } });
    expect(named.json.choices[0].message.tool_calls[0].function).toEqual({ name: "lookup", arguments: '{"q":"look it up"}' });

    const none = await complete({ messages: [user("just talk")], tools: [WEATHER_TOOL], tool_choice: "none" });
    expect(none.json.choices[0].message.content).toContain("just talk");
    expect(none.json.choices[0].message).not.toHaveProperty("tool_calls");

    const missing = await complete({ messages: [user("x")], tools: [WEATHER_TOOL], tool_choice: { type: "function", function: { name: "nope" } } });
    expect(missing.response.status).toBe(400);
    expect(missing.json.error).toMatchObject({ type: "invalid_request_error", param: "tool_choice" });

    const noParams = await complete({ messages: [user("x")], tools: [{ type: "function", function: { name: "ping" } }], tool_choice: "required" });
    expect(noParams.json.choices[0].message.tool_calls[0].function.arguments).toBe("{}");
  });

  it("gives each of n choices its own tool call", async () => {
    const { json } = await complete({ messages: [user("Weather?")], tools: [WEATHER_TOOL], tool_choice: "required", n: 2 });
    const ids = json.choices.map((c: Json) => c.message.tool_calls[0].id);
    expect(new Set(ids).size).toBe(2);
  });

  it("streams a tool call as a header and argument fragments", async () => {
    const body = { messages: [user("What is the weather in Paris? [sandbox:tool=get_weather]")], tools: [WEATHER_TOOL] };
    const { json } = await complete(body);
    const { chunks } = await stream(body);
    const expected = json.choices[0].message.tool_calls[0];
    const deltas = chunks.map((c) => c.choices[0]?.delta).filter(Boolean);
    expect(deltas[0]).toEqual({ role: "assistant", content: null, tool_calls: [{ index: 0, id: expected.id, type: "function", function: { name: "get_weather", arguments: "" } }], refusal: null });
    const fragments = deltas.slice(1, -1).map((d: Json) => {
      expect(d.tool_calls).toHaveLength(1);
      expect(d.tool_calls[0].index).toBe(0);
      return d.tool_calls[0].function.arguments as string;
    });
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.join("")).toBe(expected.function.arguments);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe("tool_calls");
  });

  it("summarises a tool result in text", async () => {
    const messages = [
      user("What is the weather in Paris?"),
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: '{"temperature": 21, "sky": "clear"}' },
    ];
    const { json } = await complete({ messages, tools: [WEATHER_TOOL] });
    expect(json.choices[0].finish_reason).toBe("stop");
    expect(json.choices[0].message.content).toBe('The tool get_weather returned: {"temperature": 21, "sky": "clear"}');
  });
});

describe("sandbox provider: response formats", () => {
  it("answers json_object with a JSON object", async () => {
    const { json } = await complete({ messages: [user('Reply in JSON: "quoted" text [sandbox:no_usage]')], response_format: { type: "json_object" } });
    expect(JSON.parse(json.choices[0].message.content)).toEqual({ echo: 'Reply in JSON: "quoted" text' });
  });

  it("answers json_schema with a value of the schema, streamed identically", async () => {
    const schema = {
      type: "object",
      properties: {
        title: { type: "string" },
        rating: { type: "integer", minimum: 1, maximum: 5 },
        tags: { type: "array", items: { type: "string" } },
        review: { type: "object", properties: { pros: { type: "string" }, score: { type: "number", exclusiveMaximum: 1, exclusiveMinimum: 0 } }, required: ["pros", "score"], additionalProperties: false },
        kind: { type: "string", enum: ["book", "film"] },
      },
      required: ["title", "rating", "tags", "review", "kind"],
      additionalProperties: false,
    };
    const body = { messages: [user("Review Dune, the novel")], response_format: { type: "json_schema", json_schema: { name: "review", strict: true, schema } } };
    const { json } = await complete(body);
    const value = JSON.parse(json.choices[0].message.content);
    expect(z.fromJSONSchema(schema as never).safeParse(value).success).toBe(true);
    const { chunks } = await stream(body);
    expect(streamedText(chunks)).toBe(json.choices[0].message.content);
  });
});

describe("sandbox provider: logprobs", () => {
  it("returns one well-formed entry per output token", async () => {
    const { json } = await complete({ messages: [user("Log these probs, 世界 😀")], logprobs: true, top_logprobs: 3 });
    const { content, refusal } = json.choices[0].logprobs;
    expect(refusal).toBeNull();
    const text: string = json.choices[0].message.content;
    expect(content).toHaveLength(countTokens(text));
    expect(json.usage.completion_tokens).toBe(content.length);
    expect(content.map((e: Json) => e.token).join("")).toBe(text);
    expect(new TextDecoder().decode(Uint8Array.from(content.flatMap((e: Json) => e.bytes)))).toBe(text);
    content.forEach((entry: Json, i: number) => {
      expect(Object.keys(entry).sort()).toEqual(["bytes", "logprob", "token", "top_logprobs"]);
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.logprob).toBeCloseTo(-(i % 7) * 0.01 - 0.001, 9);
      expect(entry.bytes).toEqual(Array.from(new TextEncoder().encode(entry.token)));
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs[0]).toEqual({ token: entry.token, logprob: entry.logprob, bytes: entry.bytes });
      const tokens = entry.top_logprobs.map((t: Json) => t.token);
      expect(new Set(tokens).size).toBe(3);
      for (let k = 1; k < 3; k++) expect(entry.top_logprobs[k].logprob).toBeLessThan(entry.top_logprobs[k - 1].logprob);
      for (const alt of entry.top_logprobs) expect(alt.bytes).toEqual(Array.from(new TextEncoder().encode(alt.token)));
    });
  });

  it("honours top_logprobs from 0 to 20 and is null when not asked", async () => {
    const zero = await complete({ messages: [user("hi")], logprobs: true });
    expect(zero.json.choices[0].logprobs.content.every((e: Json) => Array.isArray(e.top_logprobs) && e.top_logprobs.length === 0)).toBe(true);
    const twenty = await complete({ messages: [user("hi")], logprobs: true, top_logprobs: 20 });
    for (const entry of twenty.json.choices[0].logprobs.content) expect(new Set(entry.top_logprobs.map((t: Json) => t.token)).size).toBe(20);
    const off = await complete({ messages: [user("hi")], top_logprobs: 5 });
    expect(off.json.choices[0].logprobs).toBeNull();
  });

  it("describes partial-character tokens by their bytes", async () => {
    // Rare CJK characters are split across byte-level tokens by o200k.
    const { json } = await complete({ messages: [user("𠜎𠜱𠝹𠱓")], logprobs: true, top_logprobs: 2 });
    const content: Json[] = json.choices[0].logprobs.content;
    const partial = content.filter((e) => e.token.startsWith("\\x"));
    expect(partial.length).toBeGreaterThan(0);
    for (const entry of partial) expect(entry.token).toBe(entry.bytes.map((b: number) => `\\x${b.toString(16).padStart(2, "0")}`).join(""));
    expect(new TextDecoder().decode(Uint8Array.from(content.flatMap((e) => e.bytes)))).toBe(json.choices[0].message.content);
  });

  it("streams the same logprobs, spread over the content chunks", async () => {
    const body = { messages: [user("Streamed logprobs should match exactly.")], logprobs: true, top_logprobs: 2, n: 2 };
    const { json } = await complete(body);
    const { chunks } = await stream(body);
    for (const index of [0, 1]) expect(streamedLogprobs(chunks, index)).toEqual(json.choices[index].logprobs.content);
    for (const chunk of chunks.slice(2, -2)) {
      const choice = chunk.choices[0];
      expect(choice.logprobs.content.map((e: Json) => e.token).join("")).toBe(choice.delta.content);
    }
  });
});

describe("sandbox provider: directives", () => {
  it("simulates error statuses with OpenAI error bodies", async () => {
    const cases: Array<[number, string, string | null]> = [
      [400, "invalid_request_error", null],
      [429, "requests", "rate_limit_exceeded"],
      [500, "server_error", null],
      [503, "server_error", null],
    ];
    for (const [status, type, code] of cases) {
      for (const streamed of [false, true]) {
        const { response, json } = await complete({ messages: [user(`fail please [sandbox:status=${status}]`)] }, { stream: streamed });
        expect(response.status).toBe(status);
        expect(response.headers["content-type"]).toBe("application/json");
        expect(json).toEqual({ error: { message: `Simulated ${status} from the sandbox channel`, type, param: null, code } });
        expect(response.headers["retry-after"]).toBe(status === 429 ? "1" : undefined);
      }
    }
  });

  it("removes directives from the echo and leaves unknown ones visible", async () => {
    const { json } = await complete({ messages: [user("hello [sandbox:delay=0] there [sandbox:bogus=1]")] });
    expect(json.choices[0].message.content).toContain('You said: "hello there [sandbox:bogus=1]"');
  });

  it("reads directives from the last user message only", async () => {
    const { response } = await complete({ messages: [user("[sandbox:status=500]"), { role: "assistant", content: "ok" }, user("fine now")] });
    expect(response.status).toBe(200);
  });

  it("omits usage with no_usage, even when a stream asks for it", async () => {
    const { json } = await complete({ messages: [user("[sandbox:no_usage] hi")] });
    expect(json).not.toHaveProperty("usage");
    expect(json.choices[0].message.content).toContain('"hi"');
    const { chunks } = await stream({ messages: [user("[sandbox:no_usage] hi")], stream_options: { include_usage: true } });
    expect(chunks.every((c) => !("usage" in c) && c.choices.length === 1)).toBe(true);
  });

  it("drops the stream after N content chunks with error_after", async () => {
    const response = await sandboxProvider.chatCompletions(makeCall({ messages: [user("one two three four five [sandbox:error_after=2]")] }, { stream: true }));
    const seen: Json[] = [];
    const consume = async () => {
      for await (const event of response.body) seen.push(JSON.parse(new TextDecoder().decode(event).slice(6)));
    };
    await expect(consume()).rejects.toThrow(/Simulated upstream disconnect/);
    expect(seen).toHaveLength(3);
    expect(seen[0].choices[0].delta.role).toBe("assistant");
    expect(seen.slice(1).every((c) => typeof c.choices[0].delta.content === "string")).toBe(true);

    const late = await sandboxProvider.chatCompletions(makeCall({ messages: [user("short [sandbox:error_after=999]")] }, { stream: true }));
    const lateSeen: string[] = [];
    await expect(
      (async () => {
        for await (const event of late.body) lateSeen.push(new TextDecoder().decode(event));
      })(),
    ).rejects.toThrow(/Simulated upstream disconnect/);
    expect(lateSeen.some((e) => e.includes("finish_reason\":\"stop"))).toBe(false);
    expect(lateSeen.some((e) => e.includes("[DONE]"))).toBe(false);

    const nonStream = await complete({ messages: [user("ignored here [sandbox:error_after=0]")] });
    expect(nonStream.response.status).toBe(200);
  });

  it("delays streams and non-stream responses with delay=N", async () => {
    const body = { messages: [user("a b c [sandbox:delay=40]")] };
    const words = (await stream({ messages: [user("a b c")] })).chunks.length - 2;
    let started = performance.now();
    await stream(body);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40 * (words - 1) - 5);
    started = performance.now();
    await complete(body);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    started = performance.now();
    await complete({ messages: [user("quick")] }, { config: { streamDelayMs: 500 } });
    expect(performance.now() - started).toBeLessThan(400);
  });
});

describe("sandbox provider: abort and discard", () => {
  it("ends a stream promptly when the signal aborts", async () => {
    const controller = new AbortController();
    const response = await sandboxProvider.chatCompletions(
      makeCall({ messages: [user("a long enough message to take a while")] }, { stream: true, signal: controller.signal, config: { streamDelayMs: 5_000 } }),
    );
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    const pending = iterator.next();
    const started = performance.now();
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(500);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("leaves no timer behind", async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      const response = await sandboxProvider.chatCompletions(makeCall({ messages: [user("one two three")] }, { stream: true, signal: controller.signal, config: { streamDelayMs: 1_000 } }));
      const iterator = response.body[Symbol.asyncIterator]();
      await iterator.next();
      await iterator.next();
      const pending = iterator.next();
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await expect(pending).rejects.toThrow();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("discard() stops generation quietly", async () => {
    const response = await sandboxProvider.chatCompletions(makeCall({ messages: [user("one two three four")] }, { stream: true, config: { streamDelayMs: 5_000 } }));
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    const pending = iterator.next();
    const started = performance.now();
    response.discard();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(performance.now() - started).toBeLessThan(500);

    const json = await sandboxProvider.chatCompletions(makeCall({ messages: [user("x")] }));
    json.discard();
    expect(await readAll(json)).toBe("");
  });

  it("fails as a connection error when aborted before responding", async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(sandboxProvider.chatCompletions(makeCall({ messages: [user("x")] }, { signal: aborted.signal }))).rejects.toMatchObject({ name: "UpstreamConnectionError", kind: "aborted" });

    const timeout = AbortSignal.timeout(30);
    const error = await sandboxProvider.chatCompletions(makeCall({ messages: [user("slow [sandbox:delay=5000]")] }, { signal: timeout })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamConnectionError);
    expect((error as UpstreamConnectionError).kind).toBe("timeout");

    const client = new AbortController();
    const started = performance.now();
    const pending = sandboxProvider.chatCompletions(makeCall({ messages: [user("slow [sandbox:delay=5000]")] }, { signal: client.signal }));
    setTimeout(() => client.abort(), 10);
    await expect(pending).rejects.toMatchObject({ kind: "aborted" });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
