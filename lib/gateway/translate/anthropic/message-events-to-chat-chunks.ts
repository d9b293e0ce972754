import { chatIdFromAnthropic, finishReasonFromAnthropic, usageFromAnthropic } from "./message-to-chat";

/**
 * Anthropic Messages stream events → Chat Completions chunks (the hub), for OpenAI clients on
 * Messages channels. Text deltas become `content`, thinking deltas `reasoning_content`, and each
 * tool_use block one tool call whose `index` counts tool calls only (chat's numbering, not the
 * block index). The finish chunk goes out at message_stop, when message_delta has brought the
 * stop reason and the final usage; a usage-only chunk follows when the client asked for one.
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** An `error` event from the upstream mid-stream; `type` is Anthropic's (overloaded_error, api_error…). */
export class AnthropicStreamError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "AnthropicStreamError";
  }
}

export interface ChunkOptions {
  /** The model name the client asked for; the upstream's own name otherwise. */
  model?: string;
  /** stream_options.include_usage: send the usage-only chunk at the end. */
  includeUsage?: boolean;
  created?: number;
}

export class MessageEventsToChatChunks {
  private id = "";
  private model: string | undefined;
  private readonly created: number;
  private usage: Loose = {};
  private stopReason: string | null = null;
  /** Block index → tool call index, for the blocks that are tool calls. */
  private readonly toolIndex = new Map<number, number>();
  private done = false;

  constructor(private readonly options: ChunkOptions = {}) {
    this.model = options.model;
    this.created = options.created ?? Math.floor(Date.now() / 1000);
  }

  /** Chunks for one parsed event; throws AnthropicStreamError for an `error` event. */
  push(event: unknown): Loose[] {
    if (this.done || !isObject(event)) return [];
    switch (event.type) {
      case "message_start": {
        const message = isObject(event.message) ? event.message : {};
        this.id = chatIdFromAnthropic(message.id);
        this.model ??= str(message.model);
        if (isObject(message.usage)) this.usage = { ...message.usage };
        return [this.chunk({ role: "assistant", content: "" })];
      }
      case "content_block_start":
        return this.blockStart(event);
      case "content_block_delta":
        return this.blockDelta(event);
      case "message_delta": {
        const delta = isObject(event.delta) ? event.delta : {};
        if (delta.stop_reason != null) this.stopReason = str(delta.stop_reason);
        // Cumulative counts; a field left null keeps what message_start said.
        if (isObject(event.usage)) for (const [key, value] of Object.entries(event.usage)) if (value != null) this.usage[key] = value;
        return [];
      }
      case "message_stop":
        return this.finish();
      case "error": {
        this.done = true;
        const error = isObject(event.error) ? event.error : {};
        throw new AnthropicStreamError(str(error.type) || "api_error", str(error.message) || "The upstream stream failed");
      }
      default:
        // content_block_stop and ping carry nothing chat needs.
        return [];
    }
  }

  /** The finish chunk (and usage chunk); also closes a stream the upstream cut off before message_stop. */
  finish(): Loose[] {
    if (this.done) return [];
    this.done = true;
    const chunks = [this.chunk({}, finishReasonFromAnthropic(this.stopReason))];
    if (this.options.includeUsage) chunks.push({ ...this.base(), choices: [], usage: usageFromAnthropic(this.usage) });
    return chunks;
  }

  private blockStart(event: Loose): Loose[] {
    const block = isObject(event.content_block) ? event.content_block : {};
    const index = typeof event.index === "number" ? event.index : -1;
    if (block.type === "tool_use") {
      const call = this.toolIndex.size;
      this.toolIndex.set(index, call);
      return [this.chunk({ tool_calls: [{ index: call, id: str(block.id), type: "function", function: { name: str(block.name), arguments: "" } }] })];
    }
    // A text block may start with text already in it.
    if (block.type === "text" && str(block.text)) return [this.chunk({ content: str(block.text) })];
    return [];
  }

  private blockDelta(event: Loose): Loose[] {
    const delta = isObject(event.delta) ? event.delta : {};
    switch (delta.type) {
      case "text_delta":
        return str(delta.text) ? [this.chunk({ content: str(delta.text) })] : [];
      case "thinking_delta":
        return str(delta.thinking) ? [this.chunk({ reasoning_content: str(delta.thinking) })] : [];
      case "input_json_delta": {
        const call = this.toolIndex.get(typeof event.index === "number" ? event.index : -1);
        const args = str(delta.partial_json);
        return call === undefined || !args ? [] : [this.chunk({ tool_calls: [{ index: call, function: { arguments: args } }] })];
      }
      default:
        // signature_delta and citations_delta have no chat form.
        return [];
    }
  }

  private base(): Loose {
    this.id ||= chatIdFromAnthropic(undefined);
    return { id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model ?? "" };
  }

  private chunk(delta: Loose, finishReason: string | null = null): Loose {
    return { ...this.base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }
}
