import { describe, expect, it } from "vitest";
import { responsesRequestSchema, type ResponsesRequest } from "@/lib/schemas/responses";
import { outputText, responseSkeleton, usageFromChat, type ResponseObject } from "@/lib/gateway/translate/responses/response-object";
import { fromChatCompletion } from "@/lib/gateway/translate/responses/chat-to-response";
import { ChatStreamTranslator, toSse, type ResponseStreamEvent } from "@/lib/gateway/translate/responses/chat-stream-to-response-events";

/**
 * Chat Completions answers shaped as upstreams send them: OpenAI's chunk format (role chunk with
 * empty content, finish_reason chunk, then the usage-only chunk), and reasoning_content the way
 * DeepSeek and vLLM stream it.
 */
const base = { id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", created: 1741569952, model: "gpt-4o-2024-08-06", system_fingerprint: "fp_50cad350e4" };

const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null, extra: Record<string, unknown> = {}) => ({
  ...base,
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta, logprobs: null, finish_reason, ...extra }],
});

const usageChunk = (usage: Record<string, unknown>) => ({ ...base, object: "chat.completion.chunk", choices: [], usage });

const completion = (message: Record<string, unknown>, finish_reason: string, usage: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...base,
  object: "chat.completion",
  choices: [{ index: 0, message: { role: "assistant", refusal: null, annotations: [], ...message }, logprobs: null, finish_reason, ...extra }],
  usage,
  service_tier: "default",
});

const USAGE = {
  prompt_tokens: 1117,
  completion_tokens: 46,
  total_tokens: 1163,
  prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

const REASONING_USAGE = {
  prompt_tokens: 20,
  completion_tokens: 300,
  total_tokens: 320,
  prompt_tokens_details: { cached_tokens: 12 },
  completion_tokens_details: { reasoning_tokens: 280 },
};

/** A plain text answer, streamed. */
const TEXT_STREAM = [
  chunk({ role: "assistant", content: "", refusal: null }),
  chunk({ content: "Hello" }),
  chunk({ content: " there" }),
  chunk({ content: ", friend!" }),
  chunk({}, "stop"),
  usageChunk(USAGE),
];

/** Text, then two parallel tool calls whose arguments arrive in fragments. */
const TOOL_STREAM = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Let me check both." }),
  chunk({ tool_calls: [{ index: 0, id: "call_weather", type: "function", function: { name: "get_weather", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty": "Paris"}' } }] }),
  chunk({ tool_calls: [{ index: 1, id: "call_time", type: "function", function: { name: "get_time", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz": ' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '"Europe/Paris"}' } }] }),
  chunk({}, "tool_calls"),
  usageChunk(USAGE),
];

/** DeepSeek/vLLM style: reasoning_content first, then the answer. */
const REASONING_STREAM = [
  chunk({ role: "assistant", content: null, reasoning_content: "" }),
  chunk({ content: null, reasoning_content: "The user asks" }),
  chunk({ content: null, reasoning_content: " about wood." }),
  chunk({ content: "About 700 pounds.", reasoning_content: null }),
  chunk({ content: "" }, "stop"),
  usageChunk(REASONING_USAGE),
];

/** Cut off by max_output_tokens. */
const LENGTH_STREAM = [chunk({ role: "assistant", content: "" }), chunk({ content: "Once upon a time, there" }), chunk({}, "length"), usageChunk({ prompt_tokens: 15, completion_tokens: 16, total_tokens: 31 })];

const CREATED = 1741569950;
const NOW = 1741569953;

/** Predictable ids: msg_1, fc_2, … in order of creation. */
function options() {
  let n = 0;
  return { newId: (prefix: string) => `${prefix}_${++n}`, now: () => NOW };
}

function skeleton(body: Record<string, unknown> = {}): ResponseObject {
  const request: ResponsesRequest = responsesRequestSchema.parse({ model: "gpt-4o", input: "Hi", ...body });
  return responseSkeleton(request, { id: "resp_test", model: "gpt-4o", createdAt: CREATED, status: "in_progress" });
}

function run(chunks: unknown[], base = skeleton()) {
  const translator = new ChatStreamTranslator(base, options());
  const events = [...translator.start(), ...chunks.flatMap((c) => translator.push(c)), ...translator.finish()];
  return { events, translator, final: translator.finalResponse() };
}

const types = (events: ResponseStreamEvent[]) => events.map((e) => e.type);
const deltas = (events: ResponseStreamEvent[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => (e as { delta: string }).delta)
    .join("");

const EXPECTED_USAGE = {
  input_tokens: 1117,
  input_tokens_details: { cached_tokens: 1024, cache_write_tokens: 0 },
  output_tokens: 46,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 1163,
};

describe("responseSkeleton", () => {
  it("echoes every setting with OpenAI's defaults", () => {
    expect(skeleton()).toEqual({
      id: "resp_test",
      object: "response",
      created_at: CREATED,
      status: "in_progress",
      background: false,
      completed_at: null,
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      max_tool_calls: null,
      model: "gpt-4o",
      output: [],
      parallel_tool_calls: true,
      previous_response_id: null,
      prompt_cache_key: null,
      reasoning: { effort: null, summary: null },
      safety_identifier: null,
      service_tier: "default",
      store: true,
      temperature: 1,
      text: { format: { type: "text" }, verbosity: "medium" },
      tool_choice: "auto",
      tools: [],
      top_logprobs: 0,
      top_p: 1,
      truncation: "disabled",
      usage: null,
      user: null,
      metadata: {},
    });
  });

  it("echoes what the request set", () => {
    const echoed = skeleton({
      instructions: "Be brief.",
      max_output_tokens: 500,
      parallel_tool_calls: false,
      previous_response_id: "resp_prev",
      reasoning: { effort: "high" },
      store: false,
      temperature: 0.3,
      text: { format: { type: "json_object" } },
      tool_choice: "required",
      tools: [{ type: "function", name: "f", parameters: { type: "object" } }],
      top_p: 0.5,
      truncation: "auto",
      user: "u-1",
      metadata: { a: "b" },
    });
    expect(echoed).toMatchObject({
      instructions: "Be brief.",
      max_output_tokens: 500,
      parallel_tool_calls: false,
      previous_response_id: "resp_prev",
      reasoning: { effort: "high", summary: null },
      store: false,
      temperature: 0.3,
      text: { format: { type: "json_object" }, verbosity: "medium" },
      tool_choice: "required",
      tools: [{ type: "function", name: "f", description: null, parameters: { type: "object" }, strict: null }],
      top_p: 0.5,
      truncation: "auto",
      user: "u-1",
      metadata: { a: "b" },
    });
  });
});

describe("usageFromChat", () => {
  it("maps cached, cache-write and reasoning tokens", () => {
    expect(usageFromChat(USAGE)).toEqual(EXPECTED_USAGE);
    expect(usageFromChat({ ...REASONING_USAGE, prompt_tokens_details: { cached_tokens: 12, cache_write_tokens: 5 } })).toEqual({
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 12, cache_write_tokens: 5 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 280 },
      total_tokens: 320,
    });
    expect(usageFromChat({ prompt_tokens: 3, completion_tokens: 4 }).total_tokens).toBe(7);
  });
});

describe("fromChatCompletion", () => {
  it("turns a text answer into a completed Response", () => {
    const response = fromChatCompletion(completion({ content: "Hello there, friend!" }, "stop", USAGE), skeleton(), options());
    expect(response).toEqual({
      ...skeleton(),
      status: "completed",
      completed_at: NOW,
      output: [
        {
          id: "msg_1",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Hello there, friend!", annotations: [], logprobs: [] }],
        },
      ],
      usage: EXPECTED_USAGE,
    });
    expect(outputText(response.output)).toBe("Hello there, friend!");
  });

  it("turns tool calls into function_call items after the text", () => {
    const message = {
      content: "Let me check both.",
      tool_calls: [
        { id: "call_weather", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } },
        { id: "call_time", type: "function", function: { name: "get_time", arguments: '{"tz": "Europe/Paris"}' } },
      ],
    };
    const response = fromChatCompletion(completion(message, "tool_calls", USAGE), skeleton(), options());
    expect(response.status).toBe("completed");
    expect(response.output).toEqual([
      { id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Let me check both.", annotations: [], logprobs: [] }] },
      { id: "fc_2", type: "function_call", status: "completed", call_id: "call_weather", name: "get_weather", arguments: '{"city": "Paris"}' },
      { id: "fc_3", type: "function_call", status: "completed", call_id: "call_time", name: "get_time", arguments: '{"tz": "Europe/Paris"}' },
    ]);
  });

  it("has no message when the model only called a tool", () => {
    const message = { content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] };
    expect(fromChatCompletion(completion(message, "tool_calls", USAGE), skeleton(), options()).output.map((item) => item.type)).toEqual(["function_call"]);
  });

  it("marks a length-truncated answer incomplete", () => {
    const response = fromChatCompletion(completion({ content: "Once upon a time, there" }, "length", { prompt_tokens: 15, completion_tokens: 16, total_tokens: 31 }), skeleton({ max_output_tokens: 16 }), options());
    expect(response).toMatchObject({
      status: "incomplete",
      completed_at: null,
      incomplete_details: { reason: "max_output_tokens" },
      max_output_tokens: 16,
      output: [{ id: "msg_1", type: "message", status: "incomplete", content: [{ type: "output_text", text: "Once upon a time, there" }] }],
      usage: { input_tokens: 15, output_tokens: 16, total_tokens: 31 },
    });
  });

  it("turns reasoning_content into a reasoning item with a summary, before the message", () => {
    const response = fromChatCompletion(
      completion({ content: "About 700 pounds.", reasoning_content: "The user asks about wood." }, "stop", REASONING_USAGE),
      skeleton({ reasoning: { effort: "high" } }),
      options(),
    );
    expect(response.output).toEqual([
      { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: "The user asks about wood." }] },
      { id: "msg_2", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "About 700 pounds.", annotations: [], logprobs: [] }] },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 12, cache_write_tokens: 0 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 280 },
      total_tokens: 320,
    });
  });

  it("maps refusals, annotations, logprobs, content_filter and missing usage", () => {
    const refused = fromChatCompletion(completion({ content: null, refusal: "I can't help with that." }, "stop", USAGE), skeleton(), options());
    expect(refused.output).toEqual([{ id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] }]);
    expect(outputText(refused.output)).toBe("");

    const cited = fromChatCompletion(
      completion(
        { content: "See example.", annotations: [{ type: "url_citation", url_citation: { start_index: 4, end_index: 11, url: "https://example.com", title: "Example" } }] },
        "stop",
        USAGE,
        { logprobs: { content: [{ token: "See", logprob: -0.1, bytes: [83, 101, 101], top_logprobs: [{ token: "See", logprob: -0.1, bytes: [83, 101, 101] }] }], refusal: null } },
      ),
      skeleton(),
      options(),
    );
    expect(cited.output[0]).toMatchObject({
      content: [
        {
          type: "output_text",
          annotations: [{ type: "url_citation", start_index: 4, end_index: 11, url: "https://example.com", title: "Example" }],
          logprobs: [{ token: "See", logprob: -0.1, bytes: [83, 101, 101], top_logprobs: [{ token: "See", logprob: -0.1, bytes: [83, 101, 101] }] }],
        },
      ],
    });

    const filtered = fromChatCompletion({ choices: [{ index: 0, message: { role: "assistant", content: "" }, finish_reason: "content_filter" }] }, skeleton(), options());
    expect(filtered).toMatchObject({ status: "incomplete", incomplete_details: { reason: "content_filter" }, output: [], usage: null });

    const empty = fromChatCompletion({ choices: [{ index: 0, message: { role: "assistant", content: "" }, finish_reason: "stop" }] }, skeleton(), options());
    expect(empty.output).toEqual([{ id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "", annotations: [], logprobs: [] }] }]);
  });
});

describe("ChatStreamTranslator", () => {
  it("streams a text answer as OpenAI does", () => {
    const { events, final } = run(TEXT_STREAM);
    const where = { item_id: "msg_1", output_index: 0, content_index: 0 };
    const inProgress = { ...skeleton(), status: "in_progress" };
    const finalMessage = {
      id: "msg_1",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Hello there, friend!", annotations: [], logprobs: [] }],
    };
    const completed = { ...skeleton(), status: "completed", completed_at: NOW, output: [finalMessage], usage: EXPECTED_USAGE };
    expect(events).toEqual([
      { type: "response.created", response: inProgress, sequence_number: 0 },
      { type: "response.in_progress", response: inProgress, sequence_number: 1 },
      { type: "response.output_item.added", output_index: 0, item: { id: "msg_1", type: "message", status: "in_progress", role: "assistant", content: [] }, sequence_number: 2 },
      { type: "response.content_part.added", ...where, part: { type: "output_text", text: "", annotations: [], logprobs: [] }, sequence_number: 3 },
      { type: "response.output_text.delta", ...where, delta: "Hello", logprobs: [], sequence_number: 4 },
      { type: "response.output_text.delta", ...where, delta: " there", logprobs: [], sequence_number: 5 },
      { type: "response.output_text.delta", ...where, delta: ", friend!", logprobs: [], sequence_number: 6 },
      { type: "response.output_text.done", ...where, text: "Hello there, friend!", logprobs: [], sequence_number: 7 },
      { type: "response.content_part.done", ...where, part: finalMessage.content[0], sequence_number: 8 },
      { type: "response.output_item.done", output_index: 0, item: finalMessage, sequence_number: 9 },
      { type: "response.completed", response: completed, sequence_number: 10 },
    ]);
    expect(final).toEqual(completed);
    // Stream and non-stream translations of the same answer agree.
    expect(final).toEqual(fromChatCompletion(completion({ content: "Hello there, friend!" }, "stop", USAGE), skeleton(), options()));
  });

  it("streams text then two parallel tool calls, arguments in fragments", () => {
    const { events, final } = run(TOOL_STREAM);
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      // the first call closes the message
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const added = events.filter((e) => e.type === "response.output_item.added");
    expect(added[1]).toMatchObject({ output_index: 1, item: { id: "fc_2", type: "function_call", status: "in_progress", call_id: "call_weather", name: "get_weather", arguments: "" } });
    expect(added[2]).toMatchObject({ output_index: 2, item: { id: "fc_3", call_id: "call_time", name: "get_time", arguments: "" } });
    const argDeltas = (id: string) =>
      events
        .filter((e) => e.type === "response.function_call_arguments.delta" && e.item_id === id)
        .map((e) => (e as { delta: string }).delta)
        .join("");
    expect(argDeltas("fc_2")).toBe('{"city": "Paris"}');
    expect(argDeltas("fc_3")).toBe('{"tz": "Europe/Paris"}');
    expect(events.filter((e) => e.type === "response.function_call_arguments.done")).toEqual([
      { type: "response.function_call_arguments.done", item_id: "fc_2", output_index: 1, name: "get_weather", arguments: '{"city": "Paris"}', sequence_number: 14 },
      { type: "response.function_call_arguments.done", item_id: "fc_3", output_index: 2, name: "get_time", arguments: '{"tz": "Europe/Paris"}', sequence_number: 16 },
    ]);
    expect(final.status).toBe("completed");
    expect(final.output).toEqual([
      { id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Let me check both.", annotations: [], logprobs: [] }] },
      { id: "fc_2", type: "function_call", status: "completed", call_id: "call_weather", name: "get_weather", arguments: '{"city": "Paris"}' },
      { id: "fc_3", type: "function_call", status: "completed", call_id: "call_time", name: "get_time", arguments: '{"tz": "Europe/Paris"}' },
    ]);
    expect(final.usage).toEqual(EXPECTED_USAGE);
  });

  it("handles interleaved fragments, a name that arrives late and a call without an id", () => {
    const { events, final } = run([
      chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_a", type: "function", function: { arguments: '{"x":' } }] }),
      chunk({ tool_calls: [{ index: 1, type: "function", function: { name: "b", arguments: '{"y":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: "a", arguments: "1" } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: "2}" } }, { index: 0, function: { arguments: "}" } }] }),
      chunk({}, "tool_calls"),
    ]);
    expect(final.output).toEqual([
      { id: "fc_2", type: "function_call", status: "completed", call_id: "call_3", name: "b", arguments: '{"y":2}' },
      { id: "fc_1", type: "function_call", status: "completed", call_id: "call_a", name: "a", arguments: '{"x":1}' },
    ]);
    // Output indexes follow announcement order, and every item is closed before the end.
    expect(events.filter((e) => e.type === "response.output_item.done").map((e) => (e as { output_index: number }).output_index)).toEqual([0, 1]);
    expect(final.usage).toBeNull();
  });

  it("ends a length-truncated stream with response.incomplete", () => {
    const { events, final } = run(LENGTH_STREAM, skeleton({ max_output_tokens: 16 }));
    expect(types(events).slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.incomplete"]);
    const done = events.find((e) => e.type === "response.output_item.done");
    expect(done).toMatchObject({ item: { status: "incomplete" } });
    expect(final).toMatchObject({
      status: "incomplete",
      completed_at: null,
      incomplete_details: { reason: "max_output_tokens" },
      output: [{ type: "message", status: "incomplete", content: [{ text: "Once upon a time, there" }] }],
      usage: { input_tokens: 15, output_tokens: 16, total_tokens: 31 },
    });
    expect(events.at(-1)).toEqual({ type: "response.incomplete", response: final, sequence_number: events.length - 1 });
  });

  it("streams reasoning_content as a reasoning summary, then the answer", () => {
    const { events, final } = run(REASONING_STREAM, skeleton({ reasoning: { effort: "high" } }));
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[2]).toEqual({ type: "response.output_item.added", output_index: 0, item: { id: "rs_1", type: "reasoning", summary: [] }, sequence_number: 2 });
    expect(events[3]).toEqual({
      type: "response.reasoning_summary_part.added",
      item_id: "rs_1",
      output_index: 0,
      summary_index: 0,
      part: { type: "summary_text", text: "" },
      sequence_number: 3,
    });
    expect(deltas(events, "response.reasoning_summary_text.delta")).toBe("The user asks about wood.");
    expect(events[6]).toMatchObject({ type: "response.reasoning_summary_text.done", item_id: "rs_1", text: "The user asks about wood." });
    expect(final.output).toEqual([
      { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: "The user asks about wood." }] },
      { id: "msg_2", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: "About 700 pounds.", annotations: [], logprobs: [] }] },
    ]);
    expect(final.usage).toMatchObject({ input_tokens_details: { cached_tokens: 12 }, output_tokens_details: { reasoning_tokens: 280 } });
    expect(final).toEqual(
      fromChatCompletion(
        completion({ content: "About 700 pounds.", reasoning_content: "The user asks about wood." }, "stop", REASONING_USAGE),
        skeleton({ reasoning: { effort: "high" } }),
        options(),
      ),
    );
  });

  it("streams a refusal and logprobs", () => {
    const logprobs = { content: [{ token: "Hi", logprob: -0.5, bytes: [72, 105], top_logprobs: [] }], refusal: null };
    const { events, final } = run([
      chunk({ role: "assistant", content: "Hi" }, null, { logprobs }),
      chunk({ refusal: "I can't do that." }),
      chunk({}, "stop"),
    ]);
    expect(events.find((e) => e.type === "response.output_text.delta")).toMatchObject({ logprobs: [{ token: "Hi", logprob: -0.5, bytes: [72, 105], top_logprobs: [] }] });
    expect(types(events)).toContain("response.refusal.delta");
    expect(events.find((e) => e.type === "response.refusal.done")).toMatchObject({ content_index: 1, refusal: "I can't do that." });
    expect(final.output).toEqual([
      {
        id: "msg_1",
        type: "message",
        status: "completed",
        role: "assistant",
        content: [
          { type: "output_text", text: "Hi", annotations: [], logprobs: [{ token: "Hi", logprob: -0.5, bytes: [72, 105], top_logprobs: [] }] },
          { type: "refusal", refusal: "I can't do that." },
        ],
      },
    ]);
  });

  it("sends an empty message when the model said nothing, and takes usage from finish()", () => {
    const translator = new ChatStreamTranslator(skeleton(), options());
    translator.start();
    translator.push(chunk({ role: "assistant", content: "" }, "stop"));
    const usage = usageFromChat({ prompt_tokens: 5, completion_tokens: 0 });
    const events = translator.finish({ usage });
    expect(types(events)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(translator.finalResponse()).toMatchObject({ status: "completed", usage, output: [{ type: "message", content: [{ type: "output_text", text: "" }] }] });
  });

  it("fails with response.failed, keeping what was produced", () => {
    const translator = new ChatStreamTranslator(skeleton(), options());
    const events = [...translator.start(), ...translator.push(chunk({ content: "Partial" }))];
    expect(translator.finalResponse()).toMatchObject({ status: "in_progress", output: [{ type: "message", content: [{ text: "Partial" }] }] });
    const failed = translator.fail("The upstream stream failed: socket hang up");
    expect(failed).toEqual([
      {
        type: "response.failed",
        response: {
          ...skeleton(),
          status: "failed",
          error: { code: "server_error", message: "The upstream stream failed: socket hang up" },
          output: [{ id: "msg_1", type: "message", status: "incomplete", role: "assistant", content: [{ type: "output_text", text: "Partial", annotations: [], logprobs: [] }] }],
        },
        sequence_number: events.length,
      },
    ]);
    expect(translator.finish()).toEqual([]);
    expect(translator.push(chunk({ content: "late" }))).toEqual([]);
    expect(translator.finalResponse().status).toBe("failed");
  });

  it("ignores other choices and takes usage from a finish chunk too", () => {
    const { final } = run([
      { choices: [{ index: 1, delta: { content: "other choice" } }] },
      { choices: [{ index: 0, delta: { content: "Mine" }, finish_reason: "stop" }], usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 } },
    ]);
    expect(outputText(final.output)).toBe("Mine");
    expect(final.usage?.total_tokens).toBe(3);
  });

  it("does not let later mutation leak into events already returned", () => {
    const translator = new ChatStreamTranslator(skeleton(), options());
    const [created] = translator.start();
    translator.push(chunk({ content: "x" }));
    translator.finish();
    expect(created).toMatchObject({ response: { status: "in_progress", output: [] } });
  });
});

describe("toSse", () => {
  it("writes the event line and the JSON data line", () => {
    const [created] = new ChatStreamTranslator(skeleton(), options()).start();
    const sse = toSse(created!);
    expect(sse.startsWith("event: response.created\ndata: {")).toBe(true);
    expect(sse.endsWith("}\n\n")).toBe(true);
    expect(JSON.parse(sse.split("\n")[1]!.slice("data: ".length))).toEqual(created);
  });
});
