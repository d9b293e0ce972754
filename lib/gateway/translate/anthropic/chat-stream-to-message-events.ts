import { messageIdFromHub } from "./chat-to-message";
import { stopReasonFromHub } from "./stop-reason";
import { usageFromHub, type HubUsage } from "./usage";
import type { AnthropicMessage, AnthropicStreamEvent } from "./wire";

/**
 * A Chat Completions stream (the hub) → Anthropic Messages stream events.
 *
 * Anthropic blocks do not interleave: a block starts, takes deltas, stops, and the next begins.
 * So text and each tool call become blocks in the order they appear, the open one closed when the
 * upstream moves on. A tool call opens once its id and name are known; argument fragments that
 * come earlier are held and sent right after the start. A server interleaving fragments of
 * parallel calls would send a fragment for an already stopped block; it is still sent on that
 * block's index (the SDKs accumulate by index), since dropping it would break the JSON.
 *
 * message_delta waits for finish(): OpenAI sends usage in its own chunk after the finish_reason.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** One server-sent event as Anthropic writes it: `event:` names the type, `data:` holds the JSON. */
export function toSse(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

interface ToolCall {
  id: string;
  name: string;
  /** Argument fragments that arrived before the id and name did. */
  held: string;
  block: number | null;
}

export interface StreamOptions {
  /** The model name the client asked for; the upstream's own name otherwise. */
  model?: string;
  /** Input tokens, when counted before the upstream answers (message_start carries them). */
  inputTokens?: number;
}

export class ChatStreamToMessageEvents {
  private started = false;
  private done = false;
  private nextIndex = 0;
  private open: { index: number; kind: "text" | "tool"; tool?: number } | null = null;
  private readonly tools = new Map<number, ToolCall>();
  /** The call that fragments without an `index` continue. */
  private lastKey: number | null = null;
  private finishReason: unknown = null;
  private usage: HubUsage | null = null;
  private id: string | null = null;
  private model: string | undefined;

  constructor(private readonly options: StreamOptions = {}) {
    this.model = options.model;
  }

  /** Events for one parsed chunk (an object from a `data:` line; `[DONE]` is not a chunk). */
  push(chunk: unknown): AnthropicStreamEvent[] {
    if (this.done || !isObject(chunk)) return [];
    const events: AnthropicStreamEvent[] = [];
    this.start(events, chunk);
    if (isObject(chunk.usage)) this.usage = chunk.usage as HubUsage;
    const choice = Array.isArray(chunk.choices) && isObject(chunk.choices[0]) ? chunk.choices[0] : null;
    if (!choice) return events;
    const delta = isObject(choice.delta) ? choice.delta : {};
    // A refusal streams as the text the user sees.
    const text = str(delta.content) || str(delta.refusal);
    if (text) this.text(events, text);
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      if (isObject(call)) this.toolFragment(events, call);
    }
    if (choice.finish_reason != null) {
      this.finishReason = choice.finish_reason;
      this.close(events);
    }
    return events;
  }

  /** Closes what is open and ends the message: message_delta (stop reason, usage), message_stop. */
  finish(): AnthropicStreamEvent[] {
    if (this.done) return [];
    const events: AnthropicStreamEvent[] = [];
    this.start(events, {});
    this.close(events);
    this.done = true;
    const usage = usageFromHub(this.usage);
    const hasToolCalls = [...this.tools.values()].some((call) => call.block !== null);
    events.push({
      type: "message_delta",
      delta: { stop_reason: stopReasonFromHub(this.finishReason, hasToolCalls), stop_sequence: null, stop_details: null, container: null },
      usage: {
        // Input counts ride along too: message_start may have gone out before they were known.
        input_tokens: this.usage ? usage.input_tokens : (this.options.inputTokens ?? 0),
        output_tokens: usage.output_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        output_tokens_details: usage.output_tokens_details,
        server_tool_use: null,
      },
    });
    events.push({ type: "message_stop" });
    return events;
  }

  /** An upstream failure mid-stream, as Anthropic reports one; nothing is sent after it. */
  fail(message: string, type = "api_error"): AnthropicStreamEvent[] {
    if (this.done) return [];
    this.done = true;
    return [{ type: "error", error: { type, message } }];
  }

  private start(events: AnthropicStreamEvent[], chunk: Loose): void {
    if (this.started) return;
    this.started = true;
    this.id = messageIdFromHub(chunk.id);
    this.model ??= str(chunk.model);
    const usage = usageFromHub(null);
    usage.input_tokens = this.options.inputTokens ?? 0;
    const message: AnthropicMessage = {
      id: this.id,
      type: "message",
      role: "assistant",
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage,
    };
    events.push({ type: "message_start", message });
  }

  private text(events: AnthropicStreamEvent[], text: string): void {
    if (this.open?.kind !== "text") {
      this.close(events);
      this.open = { index: this.nextIndex++, kind: "text" };
      events.push({ type: "content_block_start", index: this.open.index, content_block: { type: "text", text: "", citations: null } });
    }
    events.push({ type: "content_block_delta", index: this.open.index, delta: { type: "text_delta", text } });
  }

  private toolFragment(events: AnthropicStreamEvent[], fragment: Loose): void {
    const key = this.toolKey(fragment);
    const fn = isObject(fragment.function) ? fragment.function : {};
    let call = this.tools.get(key);
    if (!call) {
      call = { id: "", name: "", held: "", block: null };
      this.tools.set(key, call);
    }
    if (str(fragment.id)) call.id = str(fragment.id);
    if (str(fn.name)) call.name += str(fn.name);
    const args = str(fn.arguments);

    if (call.block === null) {
      call.held += args;
      if (!call.id || !call.name) return;
      this.close(events);
      call.block = this.nextIndex++;
      this.open = { index: call.block, kind: "tool", tool: key };
      events.push({ type: "content_block_start", index: call.block, content_block: { type: "tool_use", id: call.id, name: call.name, input: {}, caller: { type: "direct" } } });
      if (call.held) events.push({ type: "content_block_delta", index: call.block, delta: { type: "input_json_delta", partial_json: call.held } });
      call.held = "";
      return;
    }
    // A fragment for an earlier, stopped call keeps its block's index (see the note at the top).
    if (args) events.push({ type: "content_block_delta", index: call.block, delta: { type: "input_json_delta", partial_json: args } });
  }

  /**
   * Which call a fragment belongs to: chat's `index`, or — from servers that leave it out — a new
   * call when the fragment brings a new id, else the latest call.
   */
  private toolKey(fragment: Loose): number {
    if (typeof fragment.index === "number") return (this.lastKey = fragment.index);
    const id = str(fragment.id);
    const latest = this.lastKey;
    if (latest !== null && (!id || this.tools.get(latest)?.id === id)) return latest;
    this.lastKey = (latest ?? -1) + 1;
    while (this.tools.has(this.lastKey)) this.lastKey++;
    return this.lastKey;
  }

  private close(events: AnthropicStreamEvent[]): void {
    if (!this.open) return;
    events.push({ type: "content_block_stop", index: this.open.index });
    this.open = null;
  }
}
