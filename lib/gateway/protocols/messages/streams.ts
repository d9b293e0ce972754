import { StreamMeter, type Metered } from "../../pipeline/meter";
import type { StreamTranslation } from "../../pipeline/protocol";
import { sseData, SSE_DONE } from "../../http/sse";
import { hubChunk } from "../hub-events";
import { tenantSseEvent } from "../../tenant/tenant-text";
import { countTokens } from "../../pipeline/tokens";
import { ChatStreamToMessageEvents, toSse } from "../../translate/anthropic/chat-stream-to-message-events";
import { AnthropicStreamError } from "../../translate/anthropic/message-events-to-chat-chunks";
import type { AnthropicStreamEvent } from "../../translate/anthropic/wire";
import { anthropicErrorType } from "./errors";
import { countMessagesPrompt, hasAnthropicUsage, meteredFromAnthropic } from "./usage";

type Loose = Record<string, unknown>;
const encoder = new TextEncoder();
const encode = (events: AnthropicStreamEvent[]) => (events.length ? [encoder.encode(events.map(toSse).join(""))] : []);

/** The error event Anthropic ends a broken stream with. */
function errorEvent(message: string, status = 500): Uint8Array[] {
  return encode([{ type: "error", error: { type: anthropicErrorType(status), message } }]);
}

/**
 * A Messages stream from an upstream that speaks it, relayed byte for byte (upstream secrets
 * redacted). Usage: message_start brings the input side, message_delta the final cumulative
 * counts, which replace (never add to) message_start's.
 */
export class MessageEventRelay implements StreamTranslation {
  private usage: Loose | null = null;
  private text = "";
  private held: Uint8Array | null = null;

  constructor(private readonly body: Loose) {}

  get complete(): boolean {
    return this.held !== null;
  }

  push(event: Uint8Array): Uint8Array[] {
    const data = sseData(event);
    if (data === null) return [tenantSseEvent(event)];
    const parsed = JSON.parse(data) as Loose;
    switch (parsed.type) {
      case "message_start": {
        const message = parsed.message as Loose | undefined;
        if (hasAnthropicUsage(message?.usage)) this.usage = { ...message.usage };
        break;
      }
      case "message_delta":
        if (parsed.usage && typeof parsed.usage === "object") {
          const final = Object.fromEntries(Object.entries(parsed.usage as Loose).filter(([, value]) => value !== null && value !== undefined));
          this.usage = { ...this.usage, ...final };
        }
        break;
      case "content_block_delta": {
        const delta = (parsed.delta ?? {}) as Loose;
        this.text += String(delta.text ?? delta.partial_json ?? delta.thinking ?? "");
        break;
      }
      case "message_stop":
        this.held = event;
        return [];
      case "error": {
        const error = (parsed.error ?? {}) as Loose;
        throw new AnthropicStreamError(String(error.type ?? "api_error"), String(error.message ?? "upstream error"));
      }
    }
    return [tenantSseEvent(event)];
  }

  close(): Uint8Array[] {
    return this.held ? [this.held] : [];
  }

  fail(message: string): Uint8Array[] {
    return errorEvent(message);
  }

  /** The final counts; a stream cut before message_delta keeps message_start's input side and counts its output. */
  metered(): Metered {
    const usage = this.usage;
    const final = this.complete && hasAnthropicUsage(usage);
    if (final) return meteredFromAnthropic(usage);
    const counted = countTokens(this.text);
    if (hasAnthropicUsage(usage)) {
      const metered = meteredFromAnthropic({ ...usage, output_tokens: Math.max(Number(usage.output_tokens) || 0, counted) });
      return { ...metered, estimated: true };
    }
    return { usage: { promptTokens: countMessagesPrompt(this.body), completionTokens: counted, cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
  }
}

/** A Chat Completions stream (the hub) → Anthropic's event sequence; metered from the hub's usage. */
export class ChatToMessageEvents implements StreamTranslation {
  private readonly meter = new StreamMeter(true);
  private readonly translator: ChatStreamToMessageEvents;
  private closing: AnthropicStreamEvent[] | null = null;

  constructor(
    model: string,
    private readonly promptTokens: () => number,
  ) {
    this.translator = new ChatStreamToMessageEvents({ model });
  }

  get complete(): boolean {
    return this.closing !== null;
  }

  push(event: Uint8Array): Uint8Array[] {
    this.meter.accept(event);
    const chunk = hubChunk(event);
    if (chunk === SSE_DONE) {
      this.closing = this.translator.finish();
      return [];
    }
    return chunk ? encode(this.translator.push(chunk)) : [];
  }

  close(): Uint8Array[] {
    return encode(this.closing ?? []);
  }

  fail(message: string): Uint8Array[] {
    const failed = this.translator.fail(message);
    return failed.length ? encode(failed) : errorEvent(message);
  }

  metered(): Metered {
    return this.meter.result(this.promptTokens);
  }
}
