import type { Message, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { ChatStreamToMessageEvents, toSse } from "@/lib/gateway/translate/anthropic/chat-stream-to-message-events";
import { chatToMessage, messageIdFromHub, parseToolInput } from "@/lib/gateway/translate/anthropic/chat-to-message";
import { usageFromHub } from "@/lib/gateway/translate/anthropic/usage";
import type { AnthropicStreamEvent } from "@/lib/gateway/translate/anthropic/wire";
import { chunk, TEXT_STREAM, TEXT_THEN_TOOLS_STREAM, TOOL_STREAM, USAGE, usageChunk } from "./fixtures/anthropic/chat-streams";

const completion = (message: Record<string, unknown>, finish_reason: string | null, usage: Record<string, unknown> | undefined = USAGE) => ({
  id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  object: "chat.completion",
  created: 1741569952,
  model: "gpt-4.1-2025-04-14",
  choices: [{ index: 0, message: { role: "assistant", refusal: null, annotations: [], ...message }, logprobs: null, finish_reason }],
  usage,
});

const USAGE_OUT = {
  input_tokens: 512,
  output_tokens: 37,
  cache_read_input_tokens: 1536,
  cache_creation_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens_details: { thinking_tokens: 0 },
  server_tool_use: null,
  service_tier: null,
  inference_geo: null,
  speed: null,
};

describe("chatToMessage", () => {
  it("a text answer", () => {
    const message: Message = chatToMessage(completion({ content: "Hello!" }, "stop"), { model: "claude-sonnet-4-5" });
    expect(message).toEqual({
      id: "msg_B9MBs8CjcvOU2jLn4n570S5qMJKcT",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text: "Hello!", citations: null }],
      stop_reason: "end_turn",
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: USAGE_OUT,
    });
  });

  it("text and tool calls, inputs parsed, the upstream model name when none is given", () => {
    const message: Message = chatToMessage(
      completion(
        {
          content: "Checking.",
          tool_calls: [
            { id: "call_A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_B", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        "tool_calls",
      ),
    );
    expect(message.model).toBe("gpt-4.1-2025-04-14");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Checking.", citations: null },
      { type: "tool_use", id: "call_A", name: "get_weather", input: { city: "Paris" }, caller: { type: "direct" } },
      { type: "tool_use", id: "call_B", name: "get_time", input: {}, caller: { type: "direct" } },
    ]);
  });

  it.each([
    ['{"a":1}', { a: 1 }],
    ["", {}],
    ['{"a":', {}],
    ["[1,2]", {}],
    ['"text"', {}],
    ["null", {}],
  ])("tool arguments %j → input %j", (args, input) => {
    expect(parseToolInput(args)).toEqual(input);
  });

  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
    [null, "end_turn"],
    ["something_new", "end_turn"],
  ])("finish_reason %s → stop_reason %s", (finish, stop) => {
    expect(chatToMessage(completion({ content: "x" }, finish)).stop_reason).toBe(stop);
  });

  it("tool calls ended with 'stop' still read as tool_use (the client runs tools only then)", () => {
    const message = chatToMessage(completion({ content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }] }, "stop"));
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([{ type: "tool_use", id: "c", name: "f", input: {}, caller: { type: "direct" } }]);
  });

  it("a refusal is the text shown; empty content gives no block", () => {
    expect(chatToMessage(completion({ content: null, refusal: "I can't help with that." }, "content_filter")).content).toEqual([{ type: "text", text: "I can't help with that.", citations: null }]);
    expect(chatToMessage(completion({ content: "" }, "stop")).content).toEqual([]);
  });

  it("text parts some servers send are joined", () => {
    expect(chatToMessage(completion({ content: [{ type: "text", text: "A" }, { type: "text", text: "B" }] }, "stop")).content).toEqual([{ type: "text", text: "AB", citations: null }]);
  });

  it.each([
    ["no details", { prompt_tokens: 100, completion_tokens: 5 }, { input_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens_details: null }],
    ["cache reads", { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 60 } }, { input_tokens: 40, cache_read_input_tokens: 60, cache_creation_input_tokens: 0 }],
    [
      "cache reads and writes",
      { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 30 } },
      { input_tokens: 10, cache_read_input_tokens: 60, cache_creation_input_tokens: 30, cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 0 } },
    ],
    [
      "5-minute and 1-hour cache writes",
      { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 30, cache_write_1h_tokens: 20 } },
      { input_tokens: 10, cache_read_input_tokens: 60, cache_creation_input_tokens: 30, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 } },
    ],
    [
      "1-hour writes over all writes",
      { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cache_write_tokens: 30, cache_write_1h_tokens: 50 } },
      { input_tokens: 70, cache_creation_input_tokens: 30, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 30 } },
    ],
    ["reasoning", { prompt_tokens: 10, completion_tokens: 50, completion_tokens_details: { reasoning_tokens: 40 } }, { output_tokens: 50, output_tokens_details: { thinking_tokens: 40 } }],
    ["details over the total", { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 20 } }, { input_tokens: 0, cache_read_input_tokens: 20 }],
  ])("usage with %s", (_, usage, expected) => {
    expect(usageFromHub(usage)).toMatchObject(expected);
  });

  it("no usage reads as zeros", () => {
    expect(chatToMessage({ ...completion({ content: "x" }, "stop"), usage: undefined }).usage).toMatchObject({ input_tokens: 0, output_tokens: 0 });
  });

  it("message ids", () => {
    expect(messageIdFromHub("chatcmpl-abc")).toBe("msg_abc");
    expect(messageIdFromHub("gen-123")).toBe("msg_gen-123");
    expect(messageIdFromHub(undefined)).toMatch(/^msg_[0-9a-f]{32}$/);
  });
});

function run(chunks: unknown[], options = {}): AnthropicStreamEvent[] {
  const translator = new ChatStreamToMessageEvents(options);
  const events = chunks.flatMap((c) => translator.push(c));
  return [...events, ...translator.finish()];
}

const start = (inputTokens = 0) => ({
  type: "message_start",
  message: {
    id: "msg_CAnthr0p1cStream",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: { ...USAGE_OUT, input_tokens: inputTokens, output_tokens: 0, cache_read_input_tokens: 0, output_tokens_details: null },
  },
});

const messageDelta = (stop_reason: string) => ({
  type: "message_delta",
  delta: { stop_reason, stop_sequence: null, stop_details: null, container: null },
  usage: { input_tokens: 512, output_tokens: 37, cache_read_input_tokens: 1536, cache_creation_input_tokens: 0, output_tokens_details: { thinking_tokens: 0 }, server_tool_use: null },
});

const textStart = (index: number) => ({ type: "content_block_start", index, content_block: { type: "text", text: "", citations: null } });
const text = (index: number, t: string) => ({ type: "content_block_delta", index, delta: { type: "text_delta", text: t } });
const toolStart = (index: number, id: string, name: string) => ({ type: "content_block_start", index, content_block: { type: "tool_use", id, name, input: {}, caller: { type: "direct" } } });
const json = (index: number, partial_json: string) => ({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } });
const stop = (index: number) => ({ type: "content_block_stop", index });

describe("ChatStreamToMessageEvents", () => {
  const options = { model: "claude-sonnet-4-5" };

  it("a text stream, usage after finish_reason carried by message_delta", () => {
    // Every event but `error` must be one the SDK's stream types know.
    const events: RawMessageStreamEvent[] = run(TEXT_STREAM, options).filter((e): e is Exclude<AnthropicStreamEvent, { type: "error" }> => e.type !== "error");
    expect(events).toEqual([start(), textStart(0), text(0, "Hello"), text(0, " there,"), text(0, " friend!"), stop(0), messageDelta("end_turn"), { type: "message_stop" }]);
  });

  it("a tool call with argument fragments", () => {
    expect(run(TOOL_STREAM, options)).toEqual([
      start(),
      toolStart(0, "call_Wx9f2", "get_weather"),
      json(0, '{"'),
      json(0, "city"),
      json(0, '":"'),
      json(0, "Paris"),
      json(0, '"}'),
      stop(0),
      messageDelta("tool_use"),
      { type: "message_stop" },
    ]);
  });

  it("text, then two tool calls", () => {
    expect(run(TEXT_THEN_TOOLS_STREAM, { ...options, inputTokens: 2048 })).toEqual([
      start(2048),
      textStart(0),
      text(0, "Let me check"),
      text(0, " both."),
      stop(0),
      toolStart(1, "call_A", "get_weather"),
      json(1, '{"city":'),
      json(1, '"Paris"}'),
      stop(1),
      toolStart(2, "call_B", "get_time"),
      json(2, '{"tz":"Europe/Paris"}'),
      stop(2),
      messageDelta("tool_use"),
      { type: "message_stop" },
    ]);
  });

  it("text after a tool call opens a new text block", () => {
    const events = run([chunk({ tool_calls: [{ index: 0, id: "c", type: "function", function: { name: "f", arguments: "{}" } }] }), chunk({ content: "Done." }), chunk({}, "stop")], options);
    expect(events.slice(1, -2)).toEqual([toolStart(0, "c", "f"), json(0, "{}"), stop(0), textStart(1), text(1, "Done."), stop(1)]);
  });

  it("fragments before the name are held until the call can start", () => {
    const events = run(
      [chunk({ tool_calls: [{ index: 0, id: "c", function: { arguments: '{"a"' } }] }), chunk({ tool_calls: [{ index: 0, function: { name: "f", arguments: ":1}" } }] }), chunk({}, "tool_calls")],
      options,
    );
    expect(events.slice(1, -2)).toEqual([toolStart(0, "c", "f"), json(0, '{"a":1}'), stop(0)]);
  });

  it("a late fragment of an earlier call keeps that call's index", () => {
    const events = run(
      [
        chunk({ tool_calls: [{ index: 0, id: "a", function: { name: "f", arguments: '{"x":' } }] }),
        chunk({ tool_calls: [{ index: 1, id: "b", function: { name: "g", arguments: "{}" } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
        chunk({}, "tool_calls"),
      ],
      options,
    );
    expect(events.slice(1, -2)).toEqual([toolStart(0, "a", "f"), json(0, '{"x":'), stop(0), toolStart(1, "b", "g"), json(1, "{}"), json(0, "1}"), stop(1)]);
  });

  it("fragments without an index continue the latest call; a new id starts the next", () => {
    const events = run(
      [
        chunk({ tool_calls: [{ id: "a", function: { name: "f", arguments: '{"x":' } }] }),
        chunk({ tool_calls: [{ function: { arguments: "1}" } }] }),
        chunk({ tool_calls: [{ id: "b", function: { name: "g", arguments: "{}" } }] }),
        chunk({}, "tool_calls"),
      ],
      options,
    );
    expect(events.slice(1, -2)).toEqual([toolStart(0, "a", "f"), json(0, '{"x":'), json(0, "1}"), stop(0), toolStart(1, "b", "g"), json(1, "{}"), stop(1)]);
  });

  it("usage in the finish chunk itself, and no usage at all", () => {
    const finishWithUsage = { ...chunk({}, "length"), usage: USAGE };
    expect(run([chunk({ content: "x" }), finishWithUsage], options).at(-2)).toEqual(messageDelta("max_tokens"));
    const noUsage = run([chunk({ content: "x" }), chunk({}, "stop")], { ...options, inputTokens: 9 }).at(-2) as { usage: unknown };
    expect(noUsage.usage).toMatchObject({ input_tokens: 9, output_tokens: 0 });
  });

  it("a stream cut off without finish_reason still closes properly", () => {
    expect(run([chunk({ content: "Hel" })], options)).toEqual([
      start(),
      textStart(0),
      text(0, "Hel"),
      stop(0),
      { ...messageDelta("end_turn"), usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens_details: null, server_tool_use: null } },
      { type: "message_stop" },
    ]);
  });

  it("an empty stream is still a whole message", () => {
    expect(run([], options).map((e) => e.type)).toEqual(["message_start", "message_delta", "message_stop"]);
  });

  it("role chunks and empty content open nothing", () => {
    expect(run([chunk({ role: "assistant", content: "" }), chunk({ content: "" }), usageChunk(USAGE)], options).map((e) => e.type)).toEqual(["message_start", "message_delta", "message_stop"]);
  });

  it("fail() sends one error event and ends the stream", () => {
    const translator = new ChatStreamToMessageEvents(options);
    translator.push(chunk({ content: "Hi" }));
    expect(translator.fail("upstream closed the connection")).toEqual([{ type: "error", error: { type: "api_error", message: "upstream closed the connection" } }]);
    expect(translator.push(chunk({ content: "more" }))).toEqual([]);
    expect(translator.finish()).toEqual([]);
    expect(translator.fail("again")).toEqual([]);
  });

  it("finish() twice emits once", () => {
    const translator = new ChatStreamToMessageEvents(options);
    expect(translator.finish()).toHaveLength(3);
    expect(translator.finish()).toEqual([]);
  });

  it("toSse writes Anthropic's framing", () => {
    expect(toSse({ type: "message_stop" })).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    expect(toSse(text(0, "a\nb") as AnthropicStreamEvent)).toBe('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\\nb"}}\n\n');
  });
});
