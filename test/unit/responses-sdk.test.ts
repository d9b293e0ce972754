import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { normalizeInput, responsesRequestSchema } from "@/lib/schemas/responses";
import { responseSkeleton } from "@/lib/gateway/translate/responses/response-object";
import { toChatRequest } from "@/lib/gateway/translate/responses/responses-to-chat";
import { fromChatCompletion } from "@/lib/gateway/translate/responses/chat-to-response";
import { ChatStreamTranslator, toSse } from "@/lib/gateway/translate/responses/chat-stream-to-response-events";

/**
 * Proves the official SDK parses what the translation produces: a bare HTTP server validates the
 * SDK's request with our schema, translates it for chat (to be sure it can be), and answers with a
 * recorded chat answer translated back — as JSON, or as the SSE stream the translator writes.
 */

const base = { id: "chatcmpl-sdk", created: 1741569952, model: "upstream" };
const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({
  ...base,
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta, logprobs: null, finish_reason }],
});
const usage = { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 4 } };
const usageChunk = { ...base, object: "chat.completion.chunk", choices: [], usage };

/** The recorded chat answer for each model the tests ask. */
const ANSWERS: Record<string, { message: Record<string, unknown>; finish: string; chunks: unknown[] }> = {
  "text-model": {
    message: { role: "assistant", content: "Hello there, friend!" },
    finish: "stop",
    chunks: [chunk({ role: "assistant", content: "" }), chunk({ content: "Hello" }), chunk({ content: " there" }), chunk({ content: ", friend!" }), chunk({}, "stop"), usageChunk],
  },
  "tool-model": {
    message: {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_t", type: "function", function: { name: "get_time", arguments: '{"tz":"Europe/Paris"}' } },
      ],
    },
    finish: "tool_calls",
    chunks: [
      chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_w", type: "function", function: { name: "get_weather", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: "call_t", type: "function", function: { name: "get_time", arguments: '{"tz":' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '"Europe/Paris"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk,
    ],
  },
  "reasoning-model": {
    message: { role: "assistant", content: "About 700 pounds.", reasoning_content: "Wood question." },
    finish: "stop",
    chunks: [
      chunk({ role: "assistant", reasoning_content: "Wood" }),
      chunk({ reasoning_content: " question." }),
      chunk({ content: "About 700" }),
      chunk({ content: " pounds." }, "stop"),
      usageChunk,
    ],
  },
  "short-model": {
    message: { role: "assistant", content: "Once upon" },
    finish: "length",
    chunks: [chunk({ role: "assistant", content: "Once" }), chunk({ content: " upon" }), chunk({}, "length"), usageChunk],
  },
  "json-model": {
    message: { role: "assistant", content: '{"name":"Ada","born":1815}' },
    finish: "stop",
    chunks: [chunk({ role: "assistant", content: '{"name":"Ada",' }), chunk({ content: '"born":1815}' }, "stop"), usageChunk],
  },
};

let server: http.Server;
let client: OpenAI;
const chatBodies: Record<string, unknown>[] = [];
let responses = 0;

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const part of req) chunks.push(part as Buffer);
    const parsed = responsesRequestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    if (!parsed.success) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: parsed.error.message, type: "invalid_request_error" } }));
      return;
    }
    const request = parsed.data;
    const stream = request.stream === true;
    chatBodies.push(toChatRequest(request, normalizeInput(request.input), { model: "upstream", stream }));
    const answer = ANSWERS[request.model]!;
    const skeleton = responseSkeleton(request, { id: `resp_sdk_${++responses}`, model: request.model, createdAt: Math.floor(Date.now() / 1000), status: "in_progress" });
    if (!stream) {
      const completion = { ...base, object: "chat.completion", choices: [{ index: 0, message: answer.message, logprobs: null, finish_reason: answer.finish }], usage };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(fromChatCompletion(completion, skeleton)));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" }).flushHeaders();
    const translator = new ChatStreamTranslator(skeleton);
    // One write per upstream chunk, as the relay does.
    for (const events of [translator.start(), ...answer.chunks.map((c) => translator.push(c)), translator.finish()]) {
      if (events.length) res.write(events.map(toSse).join(""));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: "sk-test", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: 10_000 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const TOOLS = [
  { type: "function" as const, name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true },
  { type: "function" as const, name: "get_time", parameters: { type: "object", properties: { tz: { type: "string" } }, required: ["tz"], additionalProperties: false }, strict: true },
];

describe("translated Responses through the official openai SDK", () => {
  it("parses a non-stream Response, with output_text", async () => {
    const response = await client.responses.create({ model: "text-model", input: "Say hello", instructions: "Be kind." });
    expect(response.id).toMatch(/^resp_sdk_/);
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Hello there, friend!");
    expect(response.instructions).toBe("Be kind.");
    expect(response.usage).toEqual({
      input_tokens: 30,
      input_tokens_details: { cached_tokens: 10, cache_write_tokens: 0 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 4 },
      total_tokens: 42,
    });
    expect(chatBodies.at(-1)).toMatchObject({ messages: [{ role: "system", content: "Be kind." }, { role: "user", content: "Say hello" }] });
  });

  it("parses a streamed Response event by event (create with stream: true)", async () => {
    const stream = await client.responses.create({ model: "text-model", input: "Say hello", stream: true });
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
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(sequence).toEqual(types.map((_, i) => i));
    expect(text).toBe("Hello there, friend!");
    expect(completed!.output).toMatchObject([{ type: "message", content: [{ type: "output_text", text: "Hello there, friend!" }] }]);
    expect(completed!.usage?.total_tokens).toBe(42);
    expect(chatBodies.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("accumulates streamed parallel function calls with the stream helper", async () => {
    const stream = client.responses.stream({ model: "tool-model", input: "Weather and time in Paris?", tools: TOOLS, parallel_tool_calls: true });
    const argumentSnapshots: string[] = [];
    stream.on("response.function_call_arguments.delta", (event) => argumentSnapshots.push(event.snapshot));
    const response = await stream.finalResponse();
    expect(response.status).toBe("completed");
    expect(response.output).toMatchObject([
      { type: "function_call", status: "completed", call_id: "call_w", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call", status: "completed", call_id: "call_t", name: "get_time", arguments: '{"tz":"Europe/Paris"}' },
    ]);
    expect(argumentSnapshots).toEqual(['{"city":', '{"city":"Paris"}', '{"tz":', '{"tz":"Europe/Paris"}']);
    expect(chatBodies.at(-1)).toMatchObject({ tools: [{ function: { name: "get_weather", strict: true } }, { function: { name: "get_time", strict: true } }], parallel_tool_calls: true });

    // The calls and their outputs go back as input, exactly as the SDK hands them over.
    const followUp = await client.responses.create({
      model: "text-model",
      input: [
        { role: "user", content: "Weather and time in Paris?" },
        ...(response.output as OpenAI.Responses.ResponseInputItem[]),
        { type: "function_call_output", call_id: "call_w", output: "sunny" },
        { type: "function_call_output", call_id: "call_t", output: "14:05" },
      ],
      tools: TOOLS,
    });
    expect(followUp.output_text).toBe("Hello there, friend!");
    expect((chatBodies.at(-1)!.messages as unknown[]).slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "call_t", type: "function", function: { name: "get_time", arguments: '{"tz":"Europe/Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_w", content: "sunny" },
      { role: "tool", tool_call_id: "call_t", content: "14:05" },
    ]);
  });

  it("accumulates a reasoning summary and the answer", async () => {
    const stream = client.responses.stream({ model: "reasoning-model", input: "How much wood?", reasoning: { effort: "high" } });
    let summary = "";
    stream.on("response.reasoning_summary_text.delta", (event) => (summary += event.delta));
    const response = await stream.finalResponse();
    expect(summary).toBe("Wood question.");
    expect(response.output_text).toBe("About 700 pounds.");
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(response.output[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Wood question." }] });
    expect(response.reasoning).toMatchObject({ effort: "high" });
    expect(chatBodies.at(-1)).toMatchObject({ reasoning_effort: "high" });
    // Reasoning items sent back as input are accepted and left out of the chat request.
    const again = await client.responses.create({ model: "text-model", input: [{ role: "user", content: "How much wood?" }, ...(response.output as OpenAI.Responses.ResponseInputItem[]), { role: "user", content: "Sure?" }] });
    expect(again.output_text).toBe("Hello there, friend!");
    expect(chatBodies.at(-1)!.messages).toEqual([
      { role: "user", content: "How much wood?" },
      { role: "assistant", content: "About 700 pounds." },
      { role: "user", content: "Sure?" },
    ]);
  });

  it("ends a cut-off stream with response.incomplete, which the helper still resolves", async () => {
    const stream = client.responses.stream({ model: "short-model", input: "A long story", max_output_tokens: 16 });
    const response = await stream.finalResponse();
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output_text).toBe("Once upon");
    const plain = await client.responses.create({ model: "short-model", input: "A long story", max_output_tokens: 16 });
    expect(plain).toMatchObject({ status: "incomplete", output_text: "Once upon", output: [{ status: "incomplete" }] });
  });

  it("parses structured output (text.format json_schema from zodTextFormat)", async () => {
    const Person = z.object({ name: z.string(), born: z.number().int() });
    const response = await client.responses.parse({ model: "json-model", input: "Who wrote the first program?", text: { format: zodTextFormat(Person, "person") } });
    expect(response.output_parsed).toEqual({ name: "Ada", born: 1815 });
    expect(chatBodies.at(-1)).toMatchObject({ response_format: { type: "json_schema", json_schema: { name: "person", strict: true, schema: { type: "object" } } } });
    const streamed = await client.responses.stream({ model: "json-model", input: "Again", text: { format: zodTextFormat(Person, "person") } }).finalResponse();
    expect(streamed.output_parsed).toEqual({ name: "Ada", born: 1815 });
  });
});
