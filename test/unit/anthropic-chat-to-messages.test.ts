import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { chatToMessages } from "@/lib/gateway/translate/anthropic/chat-to-messages";
import { Untranslatable } from "@/lib/gateway/translate/hub";
import { chatToMessage } from "@/lib/gateway/translate/anthropic/chat-to-message";
import { messagesToChat } from "@/lib/gateway/translate/anthropic/messages-to-chat";
import { chatIdFromAnthropic, finishReasonFromAnthropic, messageToChat, usageFromAnthropic } from "@/lib/gateway/translate/anthropic/message-to-chat";

const options = { model: "claude-sonnet-4-5", defaultMaxTokens: 4096 };
const chat = (extra: Record<string, unknown>) => ({ model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }], ...extra });
const convert = (extra: Record<string, unknown>) => chatToMessages(chat(extra), options);

function refusal(body: Record<string, unknown>): { message: string; param: string | null } {
  try {
    chatToMessages(body, options);
  } catch (error) {
    expect(error).toBeInstanceOf(Untranslatable);
    return { message: (error as Untranslatable).message, param: (error as Untranslatable).param };
  }
  throw new Error("expected Untranslatable");
}

describe("chatToMessages", () => {
  it("a minimal request gets the channel model and the default max_tokens", () => {
    expect(convert({})).toEqual({ model: "claude-sonnet-4-5", max_tokens: 4096, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
  });

  it.each([
    [{ max_tokens: 100 }, 100],
    [{ max_completion_tokens: 200, max_tokens: 100 }, 200],
    [{ max_tokens: null }, 4096],
  ])("limits %j → max_tokens %i", (extra, expected) => {
    expect(convert(extra).max_tokens).toBe(expected);
  });

  it("system and developer messages join `system` in order", () => {
    const body = convert({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "developer", content: [{ type: "text", text: "Use French." }] },
        { role: "user", content: "Again" },
      ],
    });
    expect(body.system).toBe("Be brief.\n\nUse French.");
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hi" }, { type: "text", text: "Again" }] }]);
  });

  it("images, inline PDFs; empty text is not sent", () => {
    const content = [
      { type: "text", text: "" },
      { type: "text", text: "Look" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" } },
      { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
      { type: "file", file: { filename: "r.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
    ];
    expect(convert({ messages: [{ role: "user", content }] }).messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Look" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
          { type: "document", title: "r.pdf", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
        ],
      },
    ]);
  });

  it("tool calls and results both ways; tool results and the next user text share one turn", () => {
    const messages = [
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "Checking.",
        reasoning_content: "old thoughts",
        tool_calls: [
          { id: "call_A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "call_B", type: "function", function: { name: "get_time", arguments: "not json" } },
        ],
      },
      { role: "tool", tool_call_id: "call_A", content: "18°C" },
      { role: "tool", tool_call_id: "call_B", content: [{ type: "text", text: "14:05" }] },
      { role: "tool", tool_call_id: "call_C", content: "" },
      { role: "user", content: "Thanks" },
    ];
    expect(convert({ messages }).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather?" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "call_A", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_B", name: "get_time", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_A", content: "18°C" },
          { type: "tool_result", tool_use_id: "call_B", content: "14:05" },
          { type: "tool_result", tool_use_id: "call_C" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("an empty assistant message is dropped", () => {
    expect(convert({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "" }] }).messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hi" }] }]);
  });

  const weather = { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true } };

  it("tools become Anthropic tools", () => {
    expect(convert({ tools: [weather, { type: "function", function: { name: "noop" } }] }).tools).toEqual([
      { name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } }, strict: true },
      { name: "noop", input_schema: { type: "object", properties: {} } },
    ]);
  });

  it.each([
    ["auto", undefined, { type: "auto" }],
    ["required", undefined, { type: "any" }],
    ["none", undefined, { type: "none" }],
    [{ type: "function", function: { name: "get_weather" } }, undefined, { type: "tool", name: "get_weather" }],
    ["required", false, { type: "any", disable_parallel_tool_use: true }],
    [undefined, false, { type: "auto", disable_parallel_tool_use: true }],
    ["none", false, { type: "none" }],
    [undefined, true, undefined],
  ])("tool_choice %j with parallel_tool_calls %j → %j", (choice, parallel, expected) => {
    expect(convert({ tools: [weather], tool_choice: choice, parallel_tool_calls: parallel }).tool_choice).toEqual(expected);
  });

  it("no tools, no tool_choice", () => {
    expect(convert({ tool_choice: "required", parallel_tool_calls: false })).not.toHaveProperty("tool_choice");
  });

  it("sampling, stops, user, stream; OpenAI-only knobs dropped", () => {
    const body = convert({ stop: "END", temperature: 0.3, top_p: 0.8, user: "u-1", stream: true, stream_options: { include_usage: true }, seed: 1, presence_penalty: 0.5, frequency_penalty: 0.1, store: true, response_format: { type: "json_object" } });
    expect(body).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      stop_sequences: ["END"],
      temperature: 0.3,
      top_p: 0.8,
      metadata: { user_id: "u-1" },
      stream: true,
    });
    expect(convert({ stop: ["a", "b"] }).stop_sequences).toEqual(["a", "b"]);
  });

  it.each([
    ["low", 8192, { type: "enabled", budget_tokens: 4096 }],
    ["medium", 32000, { type: "enabled", budget_tokens: 16384 }],
    ["high", 64000, { type: "enabled", budget_tokens: 32768 }],
    ["high", 8192, { type: "enabled", budget_tokens: 8191 }],
    ["low", 1024, undefined],
    ["minimal", 8192, undefined],
    ["none", 8192, undefined],
  ])("reasoning_effort %s with max_tokens %i → thinking %j", (effort, max, expected) => {
    expect(convert({ reasoning_effort: effort, max_tokens: max }).thinking).toEqual(expected);
  });

  it("a thinking budget survives the trip back to an effort", () => {
    for (const effort of ["low", "medium", "high"]) {
      expect(messagesToChat(convert({ reasoning_effort: effort, max_tokens: 64000 })).reasoning_effort).toBe(effort);
    }
  });

  it("json_schema response_format → output_config.format", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
    expect(convert({ response_format: { type: "json_schema", json_schema: { name: "x", schema, strict: true } } }).output_config).toEqual({ format: { type: "json_schema", schema } });
  });

  it.each([
    [{ n: 2 }, "n"],
    [{ logprobs: true }, "logprobs"],
    [{ modalities: ["text", "audio"] }, "modalities"],
    [{ tools: [{ type: "custom", custom: { name: "x" } }] }, "tools[0].type"],
    [{ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }] }, "messages[0].content[0].type"],
    [{ messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }] }, "messages[0].content[0].file"],
    [{ messages: [{ role: "function", name: "f", content: "x" }] }, "messages[0].role"],
  ])("refuses %j at %s", (extra, param) => {
    expect(refusal(chat(extra)).param).toBe(param);
  });
});

describe("messageToChat", () => {
  const message: Message = {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [
      { type: "thinking", thinking: "The user wants weather.", signature: "EqQBCg" },
      { type: "text", text: "Let me check.", citations: null },
      { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" }, caller: { type: "direct" } },
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: 20,
      output_tokens: 60,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      inference_geo: null,
      output_tokens_details: { thinking_tokens: 12 },
      server_tool_use: null,
      service_tier: "standard",
      speed: null,
    },
  };

  it("text, thinking and tool calls", () => {
    expect(messageToChat(message, { created: 1764880000 })).toEqual({
      id: "chatcmpl-01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion",
      created: 1764880000,
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Let me check.",
            refusal: null,
            reasoning_content: "The user wants weather.",
            tool_calls: [{ id: "toolu_01A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
          },
          logprobs: null,
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 1320,
        completion_tokens: 60,
        total_tokens: 1380,
        prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 300, cache_write_1h_tokens: 200 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
  });

  it("tool calls only: content null; text only: no tool_calls", () => {
    const calls = messageToChat({ ...message, content: [message.content[2]!] }) as { choices: Array<{ message: Record<string, unknown> }> };
    expect(calls.choices[0]!.message.content).toBeNull();
    const text = messageToChat({ ...message, content: [], stop_reason: "end_turn" }, { model: "alias" }) as { model: string; choices: Array<{ message: Record<string, unknown> }> };
    expect(text.model).toBe("alias");
    expect(text.choices[0]!.message).toEqual({ role: "assistant", content: "", refusal: null });
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    [null, "stop"],
  ])("stop_reason %s → finish_reason %s", (stop, finish) => {
    expect(finishReasonFromAnthropic(stop)).toBe(finish);
  });

  it("usage without cache fields", () => {
    expect(usageFromAnthropic({ input_tokens: 10, output_tokens: 2 })).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
  });

  it("ids", () => {
    expect(chatIdFromAnthropic("msg_abc")).toBe("chatcmpl-abc");
    expect(chatIdFromAnthropic(undefined)).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  });

  it("a message survives chat and back", () => {
    const back = chatToMessage(messageToChat(message));
    expect(back.id).toBe(message.id);
    expect(back.stop_reason).toBe("tool_use");
    expect(back.content).toEqual(message.content.slice(1));
    expect(back.usage).toMatchObject({
      input_tokens: 20,
      output_tokens: 60,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
    });
  });
});
