import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatStreamToMessageEvents, toSse } from "@/lib/gateway/translate/anthropic/chat-stream-to-message-events";
import { chatToMessage } from "@/lib/gateway/translate/anthropic/chat-to-message";
import { messagesToChat } from "@/lib/gateway/translate/anthropic/messages-to-chat";
import { TEXT_STREAM, TEXT_THEN_TOOLS_STREAM, USAGE } from "./fixtures/anthropic/chat-streams";

/**
 * Proves the official SDK accepts what the translators write: a bare HTTP server translates the
 * SDK's request for chat (to be sure it can be) and answers with a recorded chat answer translated
 * back — as JSON, or as the event stream, one write per upstream chunk as a relay would.
 */

const STREAMS: Record<string, unknown[]> = { "text-model": TEXT_STREAM, "tool-model": TEXT_THEN_TOOLS_STREAM };

let server: http.Server;
let client: Anthropic;
const chatBodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const request = JSON.parse(Buffer.concat(parts).toString("utf8")) as { model: string; stream?: boolean };
    chatBodies.push(messagesToChat(request, { model: "upstream" }));
    if (!request.stream) {
      const completion = { id: "chatcmpl-sdk", object: "chat.completion", model: "upstream", choices: [{ index: 0, message: { role: "assistant", content: "Hello there, friend!" }, finish_reason: "stop" }], usage: USAGE };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(chatToMessage(completion, { model: request.model })));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" }).flushHeaders();
    const translator = new ChatStreamToMessageEvents({ model: request.model });
    for (const events of [...STREAMS[request.model]!.map((c) => translator.push(c)), translator.finish()]) {
      if (events.length) res.write(events.map(toSse).join(""));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ apiKey: "x", baseURL: `http://127.0.0.1:${port}`, maxRetries: 0, timeout: 10_000 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const TOOLS = [
  { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } },
  { name: "get_time", input_schema: { type: "object" as const, properties: { tz: { type: "string" } }, required: ["tz"] } },
];

describe("translated Messages through the official Anthropic SDK", () => {
  it("parses a non-stream Message", async () => {
    const message = await client.messages.create({ model: "text-model", max_tokens: 100, system: "Be kind.", messages: [{ role: "user", content: "Say hello" }] });
    expect(message.content).toEqual([{ type: "text", text: "Hello there, friend!", citations: null }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 512, cache_read_input_tokens: 1536, output_tokens: 37 });
    expect(chatBodies.at(-1)).toMatchObject({ model: "upstream", max_tokens: 100, messages: [{ role: "system", content: "Be kind." }, { role: "user", content: "Say hello" }] });
  });

  it("accumulates a streamed text answer", async () => {
    const stream = client.messages.stream({ model: "text-model", max_tokens: 100, messages: [{ role: "user", content: "Say hello" }] });
    const texts: string[] = [];
    stream.on("text", (delta) => texts.push(delta));
    const message = await stream.finalMessage();
    expect(texts).toEqual(["Hello", " there,", " friend!"]);
    expect(message.id).toBe("msg_CAnthr0p1cStream");
    expect(message.model).toBe("text-model");
    expect(message.content).toEqual([{ type: "text", text: "Hello there, friend!", citations: null }]);
    expect(message.stop_reason).toBe("end_turn");
    // input counts arrive with message_delta, after message_start went out with 0
    expect(message.usage).toMatchObject({ input_tokens: 512, cache_read_input_tokens: 1536, cache_creation_input_tokens: 0, output_tokens: 37 });
    expect(chatBodies.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("accumulates text then tool calls, inputs parsed from the fragments", async () => {
    const stream = client.messages.stream({ model: "tool-model", max_tokens: 100, tools: TOOLS, messages: [{ role: "user", content: "Weather and time in Paris?" }] });
    const events: RawMessageStreamEvent[] = [];
    stream.on("streamEvent", (event) => events.push(event));
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Let me check both.", citations: null },
      { type: "tool_use", id: "call_A", name: "get_weather", input: { city: "Paris" }, caller: { type: "direct" } },
      { type: "tool_use", id: "call_B", name: "get_time", input: { tz: "Europe/Paris" }, caller: { type: "direct" } },
    ]);
    expect(events.at(0)?.type).toBe("message_start");
    expect(events.at(-1)?.type).toBe("message_stop");
  });

  it("a streamed error event rejects the stream", async () => {
    const errorServer = http.createServer((_req, res) => {
      const translator = new ChatStreamToMessageEvents();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end([...translator.push(TEXT_STREAM[1]), ...translator.fail("upstream went away")].map(toSse).join(""));
    });
    await new Promise<void>((resolve) => errorServer.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = errorServer.address() as AddressInfo;
      const failing = new Anthropic({ apiKey: "x", baseURL: `http://127.0.0.1:${port}`, maxRetries: 0, timeout: 10_000 });
      const stream = failing.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] });
      await expect(stream.finalMessage()).rejects.toThrow(/upstream went away/);
    } finally {
      errorServer.closeAllConnections();
      await new Promise<void>((resolve) => errorServer.close(() => resolve()));
    }
  });
});
