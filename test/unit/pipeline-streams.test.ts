import { describe, expect, it } from "vitest";
import { ChatEventRelay } from "../../lib/gateway/protocols/chat-completions/event-relay";
import { anthropicErrorResponse, anthropicErrorType, anthropicRelayedError } from "../../lib/gateway/protocols/messages/errors";
import { ChatToMessageEvents, MessageEventRelay } from "../../lib/gateway/protocols/messages/streams";
import { GatewayError, insufficientQuota } from "../../lib/gateway/pipeline/errors";
import { TEXT_STREAM, TOOL_STREAM } from "./fixtures/anthropic/chat-streams";
import { THINKING_TEXT_TOOL_EVENTS } from "./fixtures/anthropic/message-events";

/** The stream translations the pipeline drives, over recorded streams, without a server. */
const encoder = new TextEncoder();
const anthropicSse = (event: { type: string }) => encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
const chatSse = (data: unknown) => encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
const text = (parts: Uint8Array[]) => Buffer.concat(parts).toString("utf8");

describe("MessageEventRelay (Anthropic → Anthropic)", () => {
  it("relays every byte, holds message_stop until settled, and bills message_delta's final counts", () => {
    const relay = new MessageEventRelay({});
    const out: Uint8Array[] = [];
    for (const event of THINKING_TEXT_TOOL_EVENTS) out.push(...relay.push(anthropicSse(event)));
    expect(relay.complete).toBe(true);
    out.push(...relay.close());
    expect(text(out)).toBe(text(THINKING_TEXT_TOOL_EVENTS.map(anthropicSse)));
    // Final counts replace message_start's (output 2 → 89); cache reads and writes are inside the prompt.
    expect(relay.metered()).toMatchObject({ estimated: false, usage: { promptTokens: 472 + 2048 + 128, cachedTokens: 2048, completionTokens: 89 } });
  });

  it("keeps message_start's input side and counts the output of a stream cut before message_delta (estimated)", () => {
    const relay = new MessageEventRelay({});
    const cut = THINKING_TEXT_TOOL_EVENTS.slice(0, -2);
    for (const event of cut) relay.push(anthropicSse(event));
    expect(relay.complete).toBe(false);
    const metered = relay.metered();
    expect(metered.estimated).toBe(true);
    expect(metered.usage.promptTokens).toBe(472 + 2048 + 128);
    expect(metered.usage.completionTokens).toBeGreaterThan(2);
  });

  it("throws on an error event, and fails with Anthropic's error event", () => {
    const relay = new MessageEventRelay({});
    relay.push(anthropicSse(THINKING_TEXT_TOOL_EVENTS[0]!));
    expect(() => relay.push(anthropicSse({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } } as never))).toThrow("Overloaded");
    expect(JSON.parse(text(relay.fail("cut")).split("data: ")[1]!)).toEqual({ type: "error", error: { type: "api_error", message: "cut" } });
  });
});

describe("ChatToMessageEvents (hub → Anthropic)", () => {
  it("turns a chat stream into Anthropic's event sequence, ending only once settled", () => {
    const translation = new ChatToMessageEvents("claude-x", () => 0);
    const out: Uint8Array[] = [];
    for (const chunk of [...TOOL_STREAM, "[DONE]"]) out.push(...translation.push(chatSse(chunk)));
    expect(translation.complete).toBe(true);
    expect(text(out)).not.toContain("message_stop");
    out.push(...translation.close());
    const types = text(out).split("\n").filter((line) => line.startsWith("event: ")).map((line) => line.slice(7));
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types).toContain("content_block_start");
  });

  it("meters from the hub's usage chunk, or counts when there is none", () => {
    const counted = new ChatToMessageEvents("claude-x", () => 17);
    for (const chunk of TEXT_STREAM.filter((c) => !(c as { usage?: unknown }).usage)) counted.push(chatSse(chunk));
    expect(counted.metered()).toMatchObject({ estimated: true, usage: { promptTokens: 17 } });
  });

  it("throws on an upstream error chunk", () => {
    const translation = new ChatToMessageEvents("claude-x", () => 0);
    expect(() => translation.push(chatSse({ error: { message: "boom" } }))).toThrow("boom");
  });
});

describe("ChatEventRelay (chat → chat)", () => {
  it("drops the usage chunk the client did not ask for and holds [DONE] until settled", () => {
    const relay = new ChatEventRelay(false, () => 0);
    const out: Uint8Array[] = [];
    for (const chunk of [...TEXT_STREAM, "[DONE]"]) out.push(...relay.push(chatSse(chunk)));
    expect(relay.complete).toBe(true);
    expect(text(out)).not.toContain('"usage"');
    expect(text(out)).not.toContain("[DONE]");
    expect(text(relay.close())).toBe("data: [DONE]\n\n");
    expect(relay.metered().estimated).toBe(false);
  });
});

describe("Anthropic error shapes", () => {
  it("maps statuses to Anthropic's error types", () => {
    expect([400, 401, 402, 403, 404, 413, 429, 500, 502, 503, 504, 529].map(anthropicErrorType)).toEqual([
      "invalid_request_error",
      "authentication_error",
      "billing_error",
      "permission_error",
      "not_found_error",
      "request_too_large",
      "rate_limit_error",
      "api_error",
      "api_error",
      "overloaded_error",
      "timeout_error",
      "overloaded_error",
    ]);
  });

  it("answers our errors in Anthropic's shape with the request id where the SDK reads it", () => {
    const response = anthropicErrorResponse(insufficientQuota("Top up."), "req_1");
    expect(response.status).toBe(402);
    expect(response.headers["request-id"]).toBe("req_1");
    expect(JSON.parse(response.body as string)).toEqual({ type: "error", error: { type: "billing_error", message: "Top up." }, request_id: "req_1" });
    const limited = anthropicErrorResponse(new GatewayError(429, "Slow down", "requests", "rate_limit_exceeded", null, { "retry-after": "3" }), "req_2");
    expect(limited.headers["retry-after"]).toBe("3");
  });

  it("passes Anthropic's refusals unchanged and reshapes an OpenAI-compatible upstream's", () => {
    const anthropic = encoder.encode(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "bad" } }));
    expect(anthropicRelayedError(400, anthropic)).toEqual({ body: anthropic, code: "invalid_request_error", message: "bad" });
    const openai = encoder.encode(JSON.stringify({ error: { message: "Invalid schema", type: "invalid_request_error", code: "invalid_function_parameters" } }));
    const relayed = anthropicRelayedError(400, openai);
    expect(JSON.parse(relayed.body as string)).toEqual({ type: "error", error: { type: "invalid_request_error", message: "Invalid schema" } });
    expect(relayed.code).toBe("invalid_function_parameters");
  });
});
