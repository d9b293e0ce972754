import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { effortForBudget, messagesToChat } from "@/lib/gateway/translate/anthropic/messages-to-chat";
import { Untranslatable } from "@/lib/gateway/translate/hub";
import { CLAUDE_CODE_REQUEST } from "./fixtures/anthropic/claude-code-request";

const request = (extra: Record<string, unknown>) => ({ model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hi" }], ...extra });
const messagesOf = (extra: Record<string, unknown>) => messagesToChat(request(extra)).messages as unknown[];

function refusal(body: Record<string, unknown>): { message: string; param: string | null } {
  try {
    messagesToChat(body);
  } catch (error) {
    expect(error).toBeInstanceOf(Untranslatable);
    return { message: (error as Untranslatable).message, param: (error as Untranslatable).param };
  }
  throw new Error("expected Untranslatable");
}

describe("messagesToChat: system", () => {
  it.each([
    ["a string", "Be brief."],
    ["text blocks (cache_control dropped)", [{ type: "text", text: "Be" }, { type: "text", text: "brief.", cache_control: { type: "ephemeral" } }]],
  ])("system as %s becomes a leading system message", (_, system) => {
    const [first] = messagesOf({ system }) as Array<{ role: string; content: string }>;
    expect(first!.role).toBe("system");
    expect(first!.content.replace("\n", " ")).toBe("Be brief.");
  });

  it("joins system blocks with newlines and skips empty ones", () => {
    expect(messagesOf({ system: [{ type: "text", text: "A" }, { type: "text", text: "" }, { type: "text", text: "B" }] })[0]).toEqual({ role: "system", content: "A\nB" });
  });

  it("an empty system sends no system message", () => {
    expect(messagesOf({ system: "" })).toEqual([{ role: "user", content: "Hi" }]);
  });

  it("a mid-conversation system message stays where it is", () => {
    const messages = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "system", content: [{ type: "text", text: "Now answer in French." }] },
      { role: "user", content: "Bye" },
    ];
    expect(messagesOf({ messages })).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "system", content: "Now answer in French." },
      { role: "user", content: "Bye" },
    ]);
  });
});

describe("messagesToChat: user content", () => {
  const user = (content: unknown) => messagesOf({ messages: [{ role: "user", content }] });

  it.each([
    ["a string", "Hi", "Hi"],
    ["one text block", [{ type: "text", text: "Hi" }], "Hi"],
    ["text blocks (empty ones skipped)", [{ type: "text", text: "A" }, { type: "text", text: "" }, { type: "text", text: "B" }], [{ type: "text", text: "A" }, { type: "text", text: "B" }]],
    [
      "a base64 image",
      [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }],
      [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }],
    ],
    ["an image by URL", [{ type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } }], [{ type: "image_url", image_url: { url: "https://example.com/cat.jpg" } }]],
    [
      "a base64 PDF",
      [{ type: "document", title: "report.pdf", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }],
      [{ type: "file", file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } }],
    ],
    ["an untitled PDF", [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }], [{ type: "file", file: { filename: "document.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } }]],
    ["a plain-text document", [{ type: "document", source: { type: "text", media_type: "text/plain", data: "Notes" } }], "Notes"],
  ])("%s", (_, content, expected) => {
    expect(user(content)).toEqual([{ role: "user", content: expected }]);
  });

  it("a message of empty text only is dropped", () => {
    expect(messagesOf({ messages: [{ role: "user", content: [{ type: "text", text: "" }] }, { role: "user", content: "Hi" }] })).toEqual([{ role: "user", content: "Hi" }]);
  });

  it.each([
    ["a document by URL", { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } }, "messages[0].content[1].source.type"],
    ["an image by file id", { type: "image", source: { type: "file", file_id: "file_1" } }, "messages[0].content[1].source.type"],
    ["a search_result block", { type: "search_result", source: "x", title: "t", content: [] }, "messages[0].content[1].type"],
  ])("refuses %s, pointing at it", (_, block, param) => {
    const err = refusal(request({ messages: [{ role: "user", content: [{ type: "text", text: "Look" }, block] }] }));
    expect(err.param).toBe(param);
    expect(err.message).toMatch(/not supported/);
  });
});

describe("messagesToChat: tool use and results", () => {
  const toolUse = (id: string, name: string, input: unknown) => ({ type: "tool_use", id, name, input });

  it("assistant tool_use becomes tool_calls with the same id and JSON input; thinking is dropped", () => {
    const messages = [
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm", signature: "sig" },
          { type: "redacted_thinking", data: "xyz" },
          { type: "text", text: "Checking " },
          { type: "text", text: "both." },
          toolUse("toolu_1", "get_weather", { city: "Paris" }),
          toolUse("toolu_2", "get_time", {}),
        ],
      },
    ];
    expect(messagesOf({ messages })[1]).toEqual({
      role: "assistant",
      content: "Checking both.",
      tool_calls: [
        { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "toolu_2", type: "function", function: { name: "get_time", arguments: "{}" } },
      ],
    });
  });

  it("an assistant message of tool calls only keeps them with null content", () => {
    const messages = [{ role: "assistant", content: [{ type: "text", text: "" }, toolUse("toolu_1", "f", { a: 1 })] }];
    expect(messagesOf({ messages })).toEqual([{ role: "assistant", content: null, tool_calls: [{ id: "toolu_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }] }]);
  });

  it("an assistant message of thinking only is dropped", () => {
    const messages = [{ role: "user", content: "Hi" }, { role: "assistant", content: [{ type: "thinking", thinking: "…", signature: "s" }] }];
    expect(messagesOf({ messages })).toEqual([{ role: "user", content: "Hi" }]);
  });

  it("several tool_results become consecutive tool messages, the rest of the message a user message after them", () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "Here you go." },
          { type: "tool_result", tool_use_id: "toolu_1", content: "18°C" },
          { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "14:05" }, { type: "text", text: "CET" }], cache_control: { type: "ephemeral" } },
        ],
      },
    ];
    expect(messagesOf({ messages })).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: "18°C" },
      { role: "tool", tool_call_id: "toolu_2", content: "14:05\nCET" },
      { role: "user", content: "Here you go." },
    ]);
  });

  it("marks an error result in its text", () => {
    const messages = [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", is_error: true, content: "File not found" }] }];
    expect(messagesOf({ messages })).toEqual([{ role: "tool", tool_call_id: "toolu_1", content: "Error: File not found" }]);
  });

  it("an empty result is an empty tool message (chat needs one per call)", () => {
    const messages = [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1" }] }];
    expect(messagesOf({ messages })).toEqual([{ role: "tool", tool_call_id: "toolu_1", content: "" }]);
  });

  it("an image a tool returned follows in a user message", () => {
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: "AAA=" } };
    const messages = [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "Screenshot:" }, image] }] }];
    expect(messagesOf({ messages })).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: "Screenshot:" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AAA=" } }] },
    ]);
  });

  it.each([
    ["server_tool_use", { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "x" } }],
    ["web_search_tool_result", { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] }],
  ])("refuses %s history", (type, block) => {
    const err = refusal(request({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: [{ type: "text", text: "A" }, block] }] }));
    expect(err.param).toBe("messages[1].content[1].type");
    expect(err.message).toContain(type);
  });
});

describe("messagesToChat: tools and tool_choice", () => {
  const weather = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
  const fn = { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: weather.input_schema } };

  it("tools become functions; cache_control, defer_loading and input_examples are dropped; strict is kept", () => {
    const tools = [
      { ...weather, cache_control: { type: "ephemeral" }, defer_loading: true, input_examples: [{ city: "Paris" }] },
      { type: "custom", name: "noop", input_schema: { type: "object" }, strict: true },
    ];
    expect(messagesToChat(request({ tools })).tools).toEqual([fn, { type: "function", function: { name: "noop", parameters: { type: "object" }, strict: true } }]);
  });

  it.each([
    [{ type: "auto" }, "auto", undefined],
    [{ type: "any" }, "required", undefined],
    [{ type: "none" }, "none", undefined],
    [{ type: "tool", name: "get_weather" }, { type: "function", function: { name: "get_weather" } }, undefined],
    [{ type: "auto", disable_parallel_tool_use: true }, "auto", false],
    [{ type: "any", disable_parallel_tool_use: false }, "required", undefined],
  ])("tool_choice %j → %j", (choice, expected, parallel) => {
    const body = messagesToChat(request({ tools: [weather], tool_choice: choice }));
    expect(body.tool_choice).toEqual(expected);
    expect(body.parallel_tool_calls).toBe(parallel);
  });

  it("sends no tool_choice without tools (OpenAI refuses it)", () => {
    const body = messagesToChat(request({ tool_choice: { type: "auto", disable_parallel_tool_use: true } }));
    expect(body).not.toHaveProperty("tool_choice");
    expect(body).not.toHaveProperty("parallel_tool_calls");
    expect(body).not.toHaveProperty("tools");
  });

  it.each([
    [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }, "tools[1].type"],
    [{ type: "bash_20250124", name: "bash" }, "tools[1].type"],
  ])("refuses the server or Anthropic-defined tool %j", (tool, param) => {
    const err = refusal(request({ tools: [weather, tool] }));
    expect(err.param).toBe(param);
    expect(err.message).toContain(tool.type);
  });
});

describe("messagesToChat: parameters", () => {
  it("maps sampling, limits and stop sequences", () => {
    const body = messagesToChat(request({ max_tokens: 512, stop_sequences: ["\n\nHuman:"], temperature: 0.2, top_p: 0.9, top_k: 40 }));
    expect(body).toEqual({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], max_tokens: 512, stop: ["\n\nHuman:"], temperature: 0.2, top_p: 0.9 });
  });

  it("uses the model given by the caller (the channel's name for it)", () => {
    expect(messagesToChat(request({}), { model: "gpt-4.1" }).model).toBe("gpt-4.1");
  });

  it("stream asks for usage in the stream", () => {
    const body = messagesToChat(request({ stream: true }));
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(messagesToChat(request({ stream: false }))).not.toHaveProperty("stream");
  });

  it.each([
    [1024, "low"],
    [4096, "low"],
    [4097, "medium"],
    [16384, "medium"],
    [16385, "high"],
    [64000, "high"],
  ])("thinking budget %i → reasoning_effort %s", (budget, effort) => {
    expect(effortForBudget(budget)).toBe(effort);
    expect(messagesToChat(request({ thinking: { type: "enabled", budget_tokens: budget, display: "summarized" } })).reasoning_effort).toBe(effort);
  });

  it.each([[{ type: "disabled" }], [{ type: "adaptive", display: "omitted" }], [{ type: "between_tools" }]])("thinking %j leaves reasoning_effort to the upstream", (thinking) => {
    expect(messagesToChat(request({ thinking }))).not.toHaveProperty("reasoning_effort");
  });

  it.each([
    ["low", "low"],
    ["medium", "medium"],
    ["high", "high"],
    ["xhigh", "high"],
    ["max", "high"],
  ])("output_config.effort %s → reasoning_effort %s, over a thinking budget", (effort, expected) => {
    expect(messagesToChat(request({ output_config: { effort }, thinking: { type: "enabled", budget_tokens: 2048 } })).reasoning_effort).toBe(expected);
  });

  it.each([
    ["output_config.format", { output_config: { format: { type: "json_schema", schema: { type: "object", properties: { a: { type: "string" } } } } } }],
    ["output_format", { output_format: { type: "json_schema", schema: { type: "object", properties: { a: { type: "string" } } } } }],
  ])("%s → a strict json_schema response_format", (_, extra) => {
    expect(messagesToChat(request(extra)).response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema: { type: "object", properties: { a: { type: "string" } } }, strict: true },
    });
  });

  it("refuses an output format it does not know", () => {
    expect(refusal(request({ output_config: { format: { type: "xml" } } })).param).toBe("output_config.format.type");
  });

  it("drops Anthropic-only settings", () => {
    const body = messagesToChat(
      request({
        metadata: { user_id: "u1" },
        context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
        service_tier: "auto",
        container: "container_1",
        mcp_servers: [{ type: "url", url: "https://mcp.example.com/sse", name: "ex" }],
        top_k: 5,
        inference_geo: "us",
        speed: "fast",
        cache_control: { type: "ephemeral" },
      }),
    );
    expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model"]);
  });

  it("a request typed by the SDK translates", () => {
    const typed: MessageCreateParams = { model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }] }] };
    expect(messagesToChat(typed).messages).toEqual([{ role: "user", content: "Hi" }]);
  });
});

describe("messagesToChat: a Claude Code request", () => {
  const body = messagesToChat(CLAUDE_CODE_REQUEST, { model: "gpt-4.1" });

  it("keeps what means something to the model", () => {
    expect(body.model).toBe("gpt-4.1");
    expect(body.max_tokens).toBe(32000);
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.reasoning_effort).toBe("high");
    expect(body.tool_choice).toBe("auto");
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(String(messages[0]!.content)).toMatch(/^You are Claude Code, Anthropic's official CLI for Claude\.\nYou are Claude Code, an interactive CLI tool/);
    expect(messages[1]!.content).toEqual([
      { type: "text", text: "<system-reminder>\nThe date is 2026-12-04.\n</system-reminder>" },
      { type: "text", text: "What does package.json's test script run?" },
    ]);
    expect(messages[2]).toEqual({
      role: "assistant",
      content: "I'll read it.",
      tool_calls: [{ id: "toolu_01ReadPkg", type: "function", function: { name: "Read", arguments: '{"file_path":"/repo/package.json"}' } }],
    });
    expect(messages[3]).toEqual({ role: "tool", tool_call_id: "toolu_01ReadPkg", content: '{ "scripts": { "test": "vitest" } }' });
  });

  it("sends every tool, with its schema untouched, and nothing Anthropic-only", () => {
    const tools = body.tools as Array<{ type: string; function: Record<string, unknown> }>;
    expect(tools).toHaveLength(CLAUDE_CODE_REQUEST.tools.length);
    tools.forEach((tool, i) => {
      const source = CLAUDE_CODE_REQUEST.tools[i]!;
      expect(tool).toEqual({ type: "function", function: { name: source.name, description: source.description, parameters: source.input_schema } });
    });
    expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model", "reasoning_effort", "stream", "stream_options", "tool_choice", "tools"]);
    const text = JSON.stringify(body);
    for (const dropped of ["cache_control", "defer_loading", "context_management", "metadata", "user_id", "display", "signature", "thinking"]) {
      expect(text).not.toContain(`"${dropped}"`);
    }
  });
});
