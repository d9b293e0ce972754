import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { Stream } from "openai/core/streaming";
import { describe, expect, it } from "vitest";
import { chatToGemini } from "@/lib/gateway/translate/gemini/chat-to-gemini";
import { geminiToChat } from "@/lib/gateway/translate/gemini/gemini-to-chat";
import { GeminiEventsToChatChunks, GeminiStreamError } from "@/lib/gateway/translate/gemini/gemini-stream-to-chat-chunks";
import { finishReasonFromGemini, usageFromGemini } from "@/lib/gateway/translate/gemini/usage";
import { fromOpenAIUsage } from "@/lib/gateway/pipeline/usage";
import { BLOCKED_PROMPT_ANSWER, MAX_TOKENS_ANSWER, TEXT_ANSWER, TEXT_STREAM_EVENTS, TOOL_ANSWER, TOOL_STREAM_EVENTS } from "./fixtures/gemini/upstream-answers";

/** Gemini answers and streams → Chat Completions (the hub). */

describe("usage and finish reasons", () => {
  it("completion tokens add the thoughts; cached tokens stay inside the prompt; the pipeline reads it as such", () => {
    const usage = usageFromGemini(TEXT_ANSWER.usageMetadata);
    expect(usage).toEqual({
      prompt_tokens: 1210,
      completion_tokens: 144,
      total_tokens: 1354,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 133 },
    });
    expect(fromOpenAIUsage(usage as never)).toMatchObject({ promptTokens: 1210, completionTokens: 144, cachedTokens: 1024, reasoningTokens: 133 });
    expect(usageFromGemini(undefined)).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    expect(usageFromGemini({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 2 })).toMatchObject({ prompt_tokens: 15, completion_tokens: 2, total_tokens: 17 });
  });

  it("maps finish reasons", () => {
    expect(finishReasonFromGemini("STOP", false)).toBe("stop");
    expect(finishReasonFromGemini("STOP", true)).toBe("tool_calls");
    expect(finishReasonFromGemini("MAX_TOKENS", true)).toBe("length");
    for (const reason of ["SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"]) expect(finishReasonFromGemini(reason, false)).toBe("content_filter");
    expect(finishReasonFromGemini("MALFORMED_FUNCTION_CALL", false)).toBe("stop");
  });
});

describe("geminiToChat", () => {
  it("text and thought summaries", () => {
    const chat = geminiToChat(TEXT_ANSWER, { model: "flash", created: 1 });
    expect(chat).toEqual({
      id: "chatcmpl-mHRvaJ2kLq6Bz7IPt6ix2AQ",
      object: "chat.completion",
      created: 1,
      model: "flash",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: 'There are three r\'s in "strawberry".', refusal: null, reasoning_content: "**Counting letters**\n\nThe user wants the r's in strawberry." },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: usageFromGemini(TEXT_ANSWER.usageMetadata),
    });
  });

  it("function calls become tool calls with ids made here and the thought signature in extra_content", () => {
    const chat = geminiToChat(TOOL_ANSWER) as { model: string; choices: Array<{ message: { content: unknown; tool_calls: Array<Record<string, unknown>> }; finish_reason: string }> };
    expect(chat.model).toBe("gemini-3-pro-preview");
    const { message, finish_reason } = chat.choices[0]!;
    expect(finish_reason).toBe("tool_calls");
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: "CiQBcsjafGx0c2lnbmF0dXJlLTE=" } } },
      { id: expect.stringMatching(/^call_/), type: "function", function: { name: "get_weather", arguments: '{"city":"London"}' } },
    ]);
    expect(message.tool_calls[0]!.id).not.toBe(message.tool_calls[1]!.id);
    const named = geminiToChat({ candidates: [{ content: { role: "model", parts: [{ functionCall: { id: "fc_1", name: "f", args: {} } }] }, finishReason: "STOP" }] }) as typeof chat;
    expect(named.choices[0]!.message.tool_calls[0]!.id).toBe("fc_1");
  });

  it("the signature survives the round trip: the answer's tool calls, sent back by a client, return to Gemini as they came", () => {
    const chat = geminiToChat(TOOL_ANSWER) as { choices: Array<{ message: { tool_calls: Array<{ id: string }> } }> };
    const assistant = chat.choices[0]!.message;
    const [paris, london] = assistant.tool_calls;
    const next = chatToGemini(
      {
        messages: [
          { role: "user", content: "Weather?" },
          assistant,
          { role: "tool", tool_call_id: paris!.id, content: '{"temp":21}' },
          { role: "tool", tool_call_id: london!.id, content: '{"temp":15}' },
        ],
      },
      { model: "gemini-3-pro-preview" },
    );
    expect(next.contents).toEqual([
      { role: "user", parts: [{ text: "Weather?" }] },
      TOOL_ANSWER.candidates![0]!.content,
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 21 } } }, { functionResponse: { name: "get_weather", response: { temp: 15 } } }] },
    ]);
  });

  it("MAX_TOKENS is length; a blocked prompt is content_filter with empty content", () => {
    expect((geminiToChat(MAX_TOKENS_ANSWER) as { choices: Array<{ finish_reason: string }> }).choices[0]!.finish_reason).toBe("length");
    const blocked = geminiToChat(BLOCKED_PROMPT_ANSWER) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { prompt_tokens: number } };
    expect(blocked.choices[0]).toMatchObject({ message: { content: "" }, finish_reason: "content_filter" });
    expect(blocked.usage.prompt_tokens).toBe(9);
  });
});

/** Runs events through the translator as the provider does, and serialises the chunks as SSE. */
function translateStream(events: readonly unknown[], includeUsage = true) {
  const translator = new GeminiEventsToChatChunks({ includeUsage, created: 5 });
  const perEvent = events.map((event) => translator.push(event));
  const finish = translator.finished ? translator.finish() : [];
  return { perEvent, finish, all: [...perEvent.flat(), ...finish] };
}

const toSse = (chunks: unknown[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("") + "data: [DONE]\n\n";

describe("GeminiEventsToChatChunks", () => {
  it("each event gives its chunks at once (no buffering); finish and usage come last, usage from the last event", () => {
    const { perEvent, finish } = translateStream(TOOL_STREAM_EVENTS);
    expect(perEvent.map((chunks) => chunks.map((chunk) => (chunk as { choices: Array<{ delta: unknown }> }).choices[0]!.delta))).toEqual([
      [{ role: "assistant", content: "" }, { reasoning_content: "**Planning**\n\nI should look up the weather." }],
      [{ content: "Let me check " }],
      [{ content: "the weather." }],
      [
        {
          tool_calls: [
            {
              index: 0,
              id: expect.stringMatching(/^call_/),
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
              extra_content: { google: { thought_signature: "CiQBcsjafHN0cmVhbS1zaWc=" } },
            },
          ],
        },
      ],
    ]);
    expect(finish).toEqual([
      { id: "chatcmpl-s3VvaKqRMoeBz7IP", object: "chat.completion.chunk", created: 5, model: "gemini-3-pro-preview", choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" }] },
      {
        id: "chatcmpl-s3VvaKqRMoeBz7IP",
        object: "chat.completion.chunk",
        created: 5,
        model: "gemini-3-pro-preview",
        choices: [],
        usage: { prompt_tokens: 70, completion_tokens: 110, total_tokens: 180, prompt_tokens_details: { cached_tokens: 32 }, completion_tokens_details: { reasoning_tokens: 84 } },
      },
    ]);
  });

  it("the openai SDK accumulates the stream into the same answer the JSON path gives", async () => {
    const { all } = translateStream(TOOL_STREAM_EVENTS);
    const stream = Stream.fromSSEResponse(new Response(toSse(all)), new AbortController());
    const completion = await ChatCompletionStream.fromReadableStream(stream.toReadableStream()).finalChatCompletion();
    const message = completion.choices[0]!.message as typeof completion.choices[0]["message"] & { reasoning_content?: string };
    expect(message.content).toBe("Let me check the weather.");
    expect(message.tool_calls?.[0]).toMatchObject({ type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' } });
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    expect(completion.usage).toMatchObject({ prompt_tokens: 70, completion_tokens: 110 });
  });

  it("without include_usage no usage chunk; a stream without a finishReason is not finished", () => {
    const { finish } = translateStream(TEXT_STREAM_EVENTS, false);
    expect(finish).toHaveLength(1);
    expect((finish[0] as { choices: Array<{ finish_reason: string }> }).choices[0]!.finish_reason).toBe("stop");
    const cut = new GeminiEventsToChatChunks({});
    cut.push(TEXT_STREAM_EVENTS[0]);
    expect(cut.finished).toBe(false);
  });

  it("a prompt blocked in a stream ends with content_filter and its usage", () => {
    const { all } = translateStream([BLOCKED_PROMPT_ANSWER]);
    expect(all.map((chunk) => {
      const choice = (chunk as { choices: Array<{ finish_reason: string | null }> }).choices[0];
      return choice ? choice.finish_reason : "usage";
    })).toEqual([null, "content_filter", "usage"]);
    expect((all[2] as { usage: { prompt_tokens: number } }).usage.prompt_tokens).toBe(9);
  });

  it("an error event throws GeminiStreamError with Gemini's status", () => {
    const translator = new GeminiEventsToChatChunks({});
    translator.push(TEXT_STREAM_EVENTS[0]);
    expect(() => translator.push({ error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } })).toThrow(GeminiStreamError);
    expect(translator.push(TEXT_STREAM_EVENTS[1])).toEqual([]);
  });
});
