import { describe, expect, it } from "vitest";
import { validate } from "@/lib/gateway/pipeline/validate";
import { GatewayError } from "@/lib/gateway/pipeline/errors";
import { normalizeInput, newItemId, responsesRequestSchema, type InputItem } from "@/lib/schemas/responses";
import { toChatRequest } from "@/lib/gateway/translate/responses/responses-to-chat";
import { Untranslatable } from "@/lib/gateway/translate/hub";

const parse = (body: Record<string, unknown>) => validate(responsesRequestSchema, body);

/** The whole path the endpoint takes: validate, normalize, translate. */
function chat(body: Record<string, unknown>, options: { stream?: boolean; history?: InputItem[] } = {}) {
  const request = parse(body);
  const items = [...(options.history ?? []), ...normalizeInput(request.input)];
  return toChatRequest(request, items, { model: "upstream-model", stream: options.stream ?? false });
}

function rejection(body: Record<string, unknown>): GatewayError {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a validation error");
}

function unsupported(fn: () => unknown): Untranslatable {
  try {
    fn();
  } catch (error) {
    if (error instanceof Untranslatable) return error;
    throw error;
  }
  throw new Error("expected Untranslatable");
}

const MSG_ID = /^msg_[0-9a-f]{48}$/;

describe("responsesRequestSchema", () => {
  it("accepts the documented shapes and lets unknown fields and types through", () => {
    const request = parse({
      model: "gpt-4o",
      input: [
        { role: "user", content: "hi", phase: null },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "hello", annotations: [] }] },
        { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" },
        { type: "function_call_output", call_id: "call_1", output: "ok" },
        { type: "reasoning", id: "rs_1", summary: [] },
        { type: "item_reference", id: "msg_old" },
        { role: "user", content: [{ type: "input_audio", input_audio: { data: "..." } }] },
      ],
      tools: [{ type: "function", name: "f", parameters: { type: "object" } }, { type: "web_search" }],
      tool_choice: { type: "function", name: "f" },
      text: { format: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true }, verbosity: "low" },
      reasoning: { effort: "minimal", summary: "auto" },
      metadata: { project: "x" },
      brand_new_field: { anything: true },
    });
    expect(request.brand_new_field).toEqual({ anything: true });
    expect(request.input).toHaveLength(7);
  });

  it("explains a bad item with OpenAI's param path", () => {
    const missing = rejection({ model: "m", input: [{ role: "user", content: "ok" }, { type: "function_call", name: "f", arguments: "{}" }] });
    expect(missing.param).toBe("input[1].call_id");
    expect(missing.status).toBe(400);
    expect(rejection({ model: "m", input: [{ role: "robot", content: "x" }] }).param).toBe("input[0].role");
    expect(rejection({ model: "m", input: [{ role: "user", content: [{ type: "input_text" }] }] }).param).toBe("input[0].content[0].text");
    expect(rejection({ model: "m", input: [{ role: "user", content: [{ type: "input_image", detail: "auto" }] }] }).param).toBe("input[0].content[0].image_url");
  });

  it("checks ranges from the spec", () => {
    expect(rejection({ model: "m", input: "x", max_output_tokens: 15 }).param).toBe("max_output_tokens");
    expect(parse({ model: "m", input: "x", max_output_tokens: 16 }).max_output_tokens).toBe(16);
    expect(rejection({ model: "m", input: "x", temperature: 2.5 }).param).toBe("temperature");
    expect(rejection({ model: "m", input: "x", top_p: 1.5 }).param).toBe("top_p");
    expect(rejection({ model: "m", input: "x", reasoning: { effort: "extreme" } }).param).toBe("reasoning.effort");
    expect(rejection({ model: "m", input: "x", text: { format: { type: "json_schema", schema: {} } } }).param).toBe("text.format.name");
    expect(rejection({ model: "m", input: "x", truncation: "sometimes" }).param).toBe("truncation");
    expect(rejection({ input: "x" }).param).toBe("model");
  });
});

describe("normalizeInput", () => {
  it("turns a string into one user message with an id", () => {
    const [item, ...rest] = normalizeInput("Tell me a story");
    expect(rest).toEqual([]);
    expect(item).toEqual({ type: "message", id: expect.stringMatching(MSG_ID), role: "user", status: "completed", content: [{ type: "input_text", text: "Tell me a story" }] });
  });

  it("makes easy messages explicit and keeps ids, statuses and unknown items", () => {
    const items = normalizeInput([
      { role: "developer", content: "Be brief." },
      { role: "assistant", content: "Earlier answer" },
      { role: "user", content: [{ type: "input_image", image_url: "https://example.com/cat.png" }], id: "msg_mine" },
      { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "42", id: "fc_out" },
      { type: "item_reference", id: "msg_old" },
    ]);
    expect(items[0]).toEqual({ type: "message", id: expect.stringMatching(MSG_ID), role: "developer", status: "completed", content: [{ type: "input_text", text: "Be brief." }] });
    expect(items[1]).toMatchObject({ role: "assistant", content: [{ type: "output_text", text: "Earlier answer", annotations: [] }] });
    expect(items[2]).toEqual({ type: "message", id: "msg_mine", role: "user", status: "completed", content: [{ type: "input_image", image_url: "https://example.com/cat.png", detail: "auto" }] });
    expect(items[3]).toEqual({ type: "function_call", id: expect.stringMatching(/^fc_/), status: "completed", call_id: "call_1", name: "f", arguments: "{}" });
    expect(items[4]).toMatchObject({ type: "function_call_output", id: "fc_out", status: "completed" });
    expect(items[5]).toEqual({ type: "item_reference", id: "msg_old" });
    expect(normalizeInput(undefined)).toEqual([]);
  });

  it("makes distinct ids", () => {
    const ids = new Set(Array.from({ length: 100 }, () => newItemId("msg")));
    expect(ids.size).toBe(100);
  });
});

describe("toChatRequest", () => {
  it("sends a string input with instructions as system + user", () => {
    expect(chat({ model: "gpt-4o-mini", input: "Tell me a joke", instructions: "You are a comedian." })).toEqual({
      model: "upstream-model",
      messages: [
        { role: "system", content: "You are a comedian." },
        { role: "user", content: "Tell me a joke" },
      ],
    });
  });

  it("maps developer (and system) messages to system, and asks for usage when streaming", () => {
    const body = chat(
      {
        model: "m",
        input: [
          { role: "developer", content: "Answer in French." },
          { role: "system", content: [{ type: "input_text", text: "Line one" }, { type: "input_text", text: "Line two" }] },
          { role: "user", content: "Hello" },
        ],
      },
      { stream: true },
    );
    expect(body).toEqual({
      model: "upstream-model",
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "system", content: "Line one\nLine two" },
        { role: "user", content: "Hello" },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("round-trips a function call conversation: history + function_call_output", () => {
    // Turn 1 as stored: its input and its output (a message followed by two parallel calls).
    const history = normalizeInput([
      { role: "user", content: "Weather and time in Paris?" },
      { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Two tools needed." }] },
      { type: "message", role: "assistant", id: "msg_1", status: "completed", content: [{ type: "output_text", text: "Checking ", annotations: [] }, { type: "output_text", text: "both.", annotations: [] }] },
      { type: "function_call", id: "fc_1", call_id: "call_w", name: "get_weather", arguments: '{"city":"Paris"}', status: "completed" },
      { type: "function_call", id: "fc_2", call_id: "call_t", name: "get_time", arguments: '{"tz":"Europe/Paris"}', status: "completed" },
    ]);
    const body = chat(
      {
        model: "gpt-4o",
        previous_response_id: "resp_1",
        input: [
          { type: "function_call_output", call_id: "call_w", output: "sunny, 21°C" },
          { type: "function_call_output", call_id: "call_t", output: [{ type: "input_text", text: "14:05" }] },
        ],
        tools: [
          { type: "function", name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true },
          { type: "function", name: "get_time", parameters: { type: "object" } },
        ],
        tool_choice: "auto",
        parallel_tool_calls: true,
        metadata: { session: "abc" },
        store: true,
      },
      { history },
    );
    expect(body).toEqual({
      model: "upstream-model",
      messages: [
        { role: "user", content: "Weather and time in Paris?" },
        {
          role: "assistant",
          content: "Checking both.",
          tool_calls: [
            { id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_t", type: "function", function: { name: "get_time", arguments: '{"tz":"Europe/Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_w", content: "sunny, 21°C" },
        { role: "tool", tool_call_id: "call_t", content: "14:05" },
      ],
      tools: [
        {
          type: "function",
          function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true },
        },
        { type: "function", function: { name: "get_time", parameters: { type: "object" } } },
      ],
      tool_choice: "auto",
      parallel_tool_calls: true,
    });
  });

  it("sends calls without preceding text as an assistant message with null content", () => {
    const body = chat({
      model: "m",
      input: [
        { role: "user", content: "Weather?" },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "{}" },
        { type: "function_call_output", call_id: "call_1", output: "rain" },
        { role: "assistant", content: "It rains." },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: "rain" },
      { role: "assistant", content: "It rains." },
      { role: "user", content: "Thanks" },
    ]);
  });

  it("maps images and files to chat content parts", () => {
    const body = chat({
      model: "gpt-4o",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is in this image and this file?" },
            { type: "input_image", image_url: "https://example.com/boardwalk.jpg", detail: "low" },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=" },
            { type: "input_image", image_url: "https://example.com/big.png", detail: "original" },
            { type: "input_file", filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
            { type: "input_file", file_id: "file-abc" },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this image and this file?" },
          { type: "image_url", image_url: { url: "https://example.com/boardwalk.jpg", detail: "low" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" } },
          { type: "image_url", image_url: { url: "https://example.com/big.png", detail: "high" } },
          { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "report.pdf" } },
          { type: "file", file: { file_id: "file-abc" } },
        ],
      },
    ]);
  });

  it("maps text.format json_schema / json_object, verbosity and sampling settings", () => {
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"], additionalProperties: false };
    const body = chat({
      model: "gpt-4o",
      input: "Extract the name",
      text: { format: { type: "json_schema", name: "person", description: "A person", schema, strict: true }, verbosity: "low" },
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 256,
      user: "user-1234",
      safety_identifier: "hash-1",
      prompt_cache_key: "cache-1",
      truncation: "auto",
      service_tier: "priority",
    });
    expect(body).toEqual({
      model: "upstream-model",
      messages: [{ role: "user", content: "Extract the name" }],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 256,
      response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true, description: "A person" } },
      verbosity: "low",
      user: "user-1234",
      safety_identifier: "hash-1",
      prompt_cache_key: "cache-1",
    });
    expect(chat({ model: "m", input: "json please", text: { format: { type: "json_object" } } }).response_format).toEqual({ type: "json_object" });
    expect(chat({ model: "m", input: "plain", text: { format: { type: "text" } } })).not.toHaveProperty("response_format");
  });

  it("passes reasoning.effort on as reasoning_effort (o3-mini, high)", () => {
    const body = chat({ model: "o3-mini", input: "How much wood would a woodchuck chuck?", reasoning: { effort: "high", summary: "auto" } });
    expect(body).toEqual({ model: "upstream-model", messages: [{ role: "user", content: "How much wood would a woodchuck chuck?" }], reasoning_effort: "high" });
  });

  it("asks for logprobs when include asks for them", () => {
    const body = chat({ model: "m", input: "x", include: ["message.output_text.logprobs"], top_logprobs: 3 });
    expect(body).toMatchObject({ logprobs: true, top_logprobs: 3 });
    expect(chat({ model: "m", input: "x", top_logprobs: 3 })).not.toHaveProperty("logprobs");
  });

  it("maps tool_choice: a named function, and allowed_tools as a narrowed tool list", () => {
    const tools = [
      { type: "function", name: "a" },
      { type: "function", name: "b" },
    ];
    expect(chat({ model: "m", input: "x", tools, tool_choice: { type: "function", name: "b" } }).tool_choice).toEqual({ type: "function", function: { name: "b" } });
    const allowed = chat({ model: "m", input: "x", tools, tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "a" }] } });
    expect(allowed.tools).toEqual([{ type: "function", function: { name: "a" } }]);
    expect(allowed.tool_choice).toBe("required");
    // Chat refuses tool_choice and parallel_tool_calls without tools; Responses does not care.
    expect(chat({ model: "m", input: "x", tool_choice: "none", parallel_tool_calls: false })).toEqual({ model: "upstream-model", messages: [{ role: "user", content: "x" }] });
  });

  it("drops reasoning items and records of server-side tool calls from the history", () => {
    const history = normalizeInput([
      { role: "user", content: "Latest news?" },
      { type: "reasoning", id: "rs_1", summary: [] },
      { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "news" } },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Here is the news.", annotations: [] }] },
    ]);
    expect(chat({ model: "m", input: "More" }, { history }).messages).toEqual([
      { role: "user", content: "Latest news?" },
      { role: "assistant", content: "Here is the news." },
      { role: "user", content: "More" },
    ]);
  });

  it("refuses hosted tools and what chat cannot carry, naming the param", () => {
    const hosted = unsupported(() => chat({ model: "m", input: "x", tools: [{ type: "function", name: "f" }, { type: "web_search" }] }));
    expect(hosted.message).toBe("The 'web_search' tool is not supported");
    expect(hosted.param).toBe("tools[1]");
    for (const type of ["file_search", "code_interpreter", "computer_use_preview", "mcp", "image_generation"]) {
      expect(unsupported(() => chat({ model: "m", input: "x", tools: [{ type }] })).param).toBe("tools[0]");
    }
    expect(unsupported(() => chat({ model: "m", input: "x", tools: [{ type: "function", name: "f" }], tool_choice: { type: "file_search" } })).param).toBe("tool_choice");
    expect(unsupported(() => chat({ model: "m", input: [{ type: "item_reference", id: "msg_1" }] })).param).toBe("input[0]");
    expect(unsupported(() => chat({ model: "m", input: [{ type: "computer_call_output", call_id: "c", output: {} }] })).message).toBe(
      "Input item type 'computer_call_output' is not supported",
    );
    expect(unsupported(() => chat({ model: "m", input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] })).param).toBe("input[0].content[0]");
    expect(unsupported(() => chat({ model: "m", input: [{ role: "user", content: [{ type: "input_file", file_url: "https://example.com/a.pdf" }] }] })).param).toBe(
      "input[0].content[0]",
    );
    expect(unsupported(() => chat({ model: "m", input: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] })).param).toBe("input[0].content[0]");
    expect(unsupported(() => chat({ model: "m", input: "x", prompt: { id: "pmpt_123", version: "2" } })).param).toBe("prompt");
    expect(unsupported(() => chat({ model: "m", input: [{ type: "function_call_output", call_id: "c", output: [{ type: "input_image", image_url: "https://example.com/a.png" }] }] })).param).toBe(
      "input[0].output[0]",
    );
  });
});
