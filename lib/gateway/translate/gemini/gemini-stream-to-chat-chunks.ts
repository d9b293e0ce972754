import { chatIdFromGemini, promptBlocked, readParts, toolCallOf } from "./gemini-to-chat";
import { finishReasonFromGemini, usageFromGemini } from "./usage";

/**
 * Gemini `streamGenerateContent?alt=sse` events → Chat Completions chunks (the hub). Every event is
 * a whole GenerateContentResponse holding the next piece of candidates[0]: its parts go out at once
 * as chunks (text → `content`, thoughts → `reasoning_content`, each function call → one complete
 * tool call, numbered among tool calls). Gemini has no stop event: the event that brings a
 * `finishReason` ends the answer, but usage is cumulative and may still be updated after it, so the
 * finish chunk (and the usage chunk) go out in `finish()`, called when the upstream's body ends.
 * A stream cut off before any finishReason has no finish: the caller then ends it without [DONE].
 */

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Gemini's `{"error": {code, message, status}}` arriving in the stream after HTTP 200. */
export class GeminiStreamError extends Error {
  constructor(
    readonly status: string,
    readonly code: number | null,
    message: string,
  ) {
    super(message);
    this.name = "GeminiStreamError";
  }
}

export interface ChunkOptions {
  /** The model name the client asked for; Gemini's modelVersion otherwise. */
  model?: string;
  /** stream_options.include_usage: send the usage-only chunk at the end. */
  includeUsage?: boolean;
  created?: number;
}

export class GeminiEventsToChatChunks {
  private id = "";
  private model: string | undefined;
  private readonly created: number;
  private usage: unknown = undefined;
  private finishReason: string | null = null;
  private toolCalls = 0;
  private started = false;
  private done = false;

  constructor(private readonly options: ChunkOptions = {}) {
    this.model = options.model;
    this.created = options.created ?? Math.floor(Date.now() / 1000);
  }

  /** Whether the answer came to an end (a finishReason, or a blocked prompt). */
  get finished(): boolean {
    return this.finishReason !== null;
  }

  /** Chunks for one parsed event; throws GeminiStreamError for an error event. */
  push(event: unknown): Loose[] {
    if (this.done || !isObject(event)) return [];
    if (isObject(event.error)) {
      this.done = true;
      const error = event.error;
      throw new GeminiStreamError(str(error.status) || "INTERNAL", typeof error.code === "number" ? error.code : null, str(error.message) || "The upstream stream failed");
    }
    if (!this.id) this.id = chatIdFromGemini(event.responseId);
    this.model ??= str(event.modelVersion) || undefined;
    if (isObject(event.usageMetadata)) this.usage = event.usageMetadata;
    const chunks: Loose[] = [];
    if (!this.started) {
      this.started = true;
      chunks.push(this.chunk({ role: "assistant", content: "" }));
    }
    const candidate = Array.isArray(event.candidates) && isObject(event.candidates[0]) ? event.candidates[0] : null;
    const { text, reasoning, calls } = readParts(candidate);
    if (reasoning) chunks.push(this.chunk({ reasoning_content: reasoning }));
    if (text) chunks.push(this.chunk({ content: text }));
    if (calls.length) chunks.push(this.chunk({ tool_calls: calls.map((part) => toolCallOf(part, this.toolCalls++)) }));
    if (candidate && typeof candidate.finishReason === "string") this.finishReason = candidate.finishReason;
    else if (!candidate && promptBlocked(event)) this.finishReason = "BLOCKED";
    return chunks;
  }

  /** The finish chunk and, when asked for, the usage chunk (the last usageMetadata seen). */
  finish(): Loose[] {
    if (this.done) return [];
    this.done = true;
    const reason = this.finishReason === "BLOCKED" ? "content_filter" : finishReasonFromGemini(this.finishReason, this.toolCalls > 0);
    const chunks = [this.chunk({}, reason)];
    if (this.options.includeUsage) chunks.push({ ...this.base(), choices: [], usage: usageFromGemini(this.usage) });
    return chunks;
  }

  private base(): Loose {
    this.id ||= chatIdFromGemini(undefined);
    return { id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model ?? "" };
  }

  private chunk(delta: Loose, finishReason: string | null = null): Loose {
    return { ...this.base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }
}
