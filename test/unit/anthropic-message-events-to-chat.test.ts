import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { describe, expect, it } from "vitest";
import { ChatStreamToMessageEvents } from "@/lib/gateway/translate/anthropic/chat-stream-to-message-events";
import { AnthropicStreamError, MessageEventsToChatChunks } from "@/lib/gateway/translate/anthropic/message-events-to-chat-chunks";
import { TEXT_THEN_TOOLS_STREAM } from "./fixtures/anthropic/chat-streams";
import { THINKING_TEXT_TOOL_EVENTS } from "./fixtures/anthropic/message-events";

const run = (events: unknown[], options = {}) => {
  const translator = new MessageEventsToChatChunks({ created: 1764880000, ...options });
  return [...events.flatMap((e) => translator.push(e)), ...translator.finish()];
};

const base = { id: "chatcmpl-014p7gG3wDgGV9EUtLvnow3U", object: "chat.completion.chunk", created: 1764880000, model: "claude-sonnet-4-5-20250929" };
const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] });

/** The chunks as the openai SDK's own stream helper accumulates them (it reads JSON lines). */
function accumulate(chunks: unknown[]) {
  const lines = new TextEncoder().encode(chunks.map((c) => `${JSON.stringify(c)}\n`).join(""));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(lines);
      controller.close();
    },
  });
  return ChatCompletionStream.fromReadableStream(body).finalChatCompletion();
}

describe("MessageEventsToChatChunks", () => {
  it("thinking, text and a tool call, usage after the finish chunk", () => {
    expect(run(THINKING_TEXT_TOOL_EVENTS, { includeUsage: true })).toEqual([
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoning_content: "The user wants" }),
      chunk({ reasoning_content: " the weather." }),
      chunk({ content: "Let me" }),
      chunk({ content: " check." }),
      chunk({ tool_calls: [{ index: 0, id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", type: "function", function: { name: "get_weather", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] }),
      chunk({}, "tool_calls"),
      {
        ...base,
        choices: [],
        usage: { prompt_tokens: 2648, completion_tokens: 89, total_tokens: 2737, prompt_tokens_details: { cached_tokens: 2048, cache_write_tokens: 128, cache_write_1h_tokens: 0 } },
      },
    ]);
  });

  it("no usage chunk unless asked; the client's model name when given", () => {
    const chunks = run(THINKING_TEXT_TOOL_EVENTS, { model: "alias" });
    expect(chunks.at(-1)).toMatchObject({ model: "alias", choices: [{ finish_reason: "tool_calls" }] });
    expect(chunks.every((c) => Array.isArray(c.choices) && c.choices.length === 1)).toBe(true);
  });

  it("the openai SDK accumulates the chunks into the answer", async () => {
    const completion = await accumulate(run(THINKING_TEXT_TOOL_EVENTS, { includeUsage: true }));
    const [choice] = completion.choices;
    expect(choice!.finish_reason).toBe("tool_calls");
    expect(choice!.message.content).toBe("Let me check.");
    expect(choice!.message.tool_calls).toMatchObject([{ id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } }]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 2648, completion_tokens: 89 });
  });

  it("tool calls are numbered among tool calls, not blocks", () => {
    const tool = (index: number, id: string) => [
      { type: "content_block_start", index, content_block: { type: "tool_use", id, name: "f", input: {} } },
      { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "{}" } },
      { type: "content_block_stop", index },
    ];
    const chunks = run([{ type: "message_start", message: { id: "msg_x", model: "m", usage: {} } }, ...tool(1, "a"), ...tool(2, "b"), { type: "message_stop" }]);
    const calls = chunks.flatMap((c) => (c.choices as Array<{ delta: { tool_calls?: Array<{ index: number }> } }>).flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(calls.map((c) => c.index)).toEqual([0, 0, 1, 1]);
  });

  it.each([
    ["end_turn", "stop"],
    ["max_tokens", "length"],
    ["refusal", "content_filter"],
  ])("stop_reason %s → finish_reason %s", (stop, finish) => {
    const chunks = run([{ type: "message_start", message: { id: "msg_x", model: "m" } }, { type: "message_delta", delta: { stop_reason: stop }, usage: { output_tokens: 3 } }, { type: "message_stop" }]);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: finish }] });
  });

  it("an error event throws a typed error and ends the stream", () => {
    const translator = new MessageEventsToChatChunks();
    translator.push(THINKING_TEXT_TOOL_EVENTS[0]);
    expect(() => translator.push({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })).toThrow(AnthropicStreamError);
    expect(translator.finish()).toEqual([]);
  });

  it("a stream cut off before message_stop still ends with a finish chunk, one id throughout", () => {
    const chunks = run([{ type: "content_block_start", index: 0, content_block: { type: "text", text: "Hi" } }]);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatchObject({ choices: [{ delta: { content: "Hi" } }] });
    expect(chunks[1]).toMatchObject({ choices: [{ finish_reason: "stop" }] });
    expect(chunks[0]!.id).toBe(chunks[1]!.id);
  });

  it("a chat stream survives Anthropic events and back", async () => {
    const toEvents = new ChatStreamToMessageEvents({ model: "m" });
    const events = [...TEXT_THEN_TOOLS_STREAM.flatMap((c) => toEvents.push(c)), ...toEvents.finish()];
    const completion = await accumulate(run(events, { includeUsage: true }));
    expect(completion.choices[0]!.message.content).toBe("Let me check both.");
    const calls = (completion.choices[0]!.message.tool_calls ?? []) as Array<{ id: string; function: { name: string; arguments: string } }>;
    expect(calls.map((c) => [c.id, c.function.name, c.function.arguments])).toEqual([
      ["call_A", "get_weather", '{"city":"Paris"}'],
      ["call_B", "get_time", '{"tz":"Europe/Paris"}'],
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 2048, completion_tokens: 37, prompt_tokens_details: { cached_tokens: 1536 } });
  });
});
