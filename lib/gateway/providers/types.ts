/**
 * The one interface every upstream adapter implements. The gateway speaks OpenAI's wire format on
 * both sides: an adapter receives an OpenAI Chat Completions request body and returns OpenAI-format
 * bytes (a JSON document, or SSE chunks ending in `data: [DONE]`). OpenAI-compatible upstreams pass
 * bytes through; other providers (Anthropic, Gemini, the sandbox) translate in their own file.
 */
export interface ChannelConfig {
  id: string;
  name: string;
  type: string;
  /** e.g. "https://api.openai.com/v1" — adapters append their endpoint paths. */
  baseUrl: string | null;
  /** Decrypted upstream credential; never logged. */
  apiKey: string | null;
  timeoutMs: number;
  /** Provider-specific extras (headers, API version…). */
  config: Record<string, unknown> | null;
}

/** What every call to an upstream carries. */
interface UpstreamCall {
  channel: ChannelConfig;
  /** The request with `model` set to the upstream model id. */
  body: Record<string, unknown>;
  stream: boolean;
  /** Aborted when the client goes away or the channel's timeout passes. */
  signal: AbortSignal;
  requestId: string;
}

export interface ChatCompletionCall extends UpstreamCall {
  /**
   * The client's bytes, when they are exactly what `body` says (same model id, nothing added):
   * adapters that forward JSON send them as they are instead of serialising `body` again.
   */
  rawBody?: Uint8Array;
  /**
   * The body is our translation of another protocol's request (Messages, Responses): parameters
   * we derived may be adjusted to what the server accepts (see providers/openai/repair.ts).
   */
  translated?: boolean;
}

/** A Responses API request for an upstream that speaks it natively (history already expanded). */
export type ResponsesCall = UpstreamCall;

/** An Anthropic Messages request for an upstream that speaks it natively. */
export interface MessagesCall extends UpstreamCall {
  /** The client's bytes, when they are exactly what `body` says (same model id). */
  rawBody?: Uint8Array;
  /** The client's `anthropic-version` and `anthropic-beta` headers, when it sent them. */
  headers: Record<string, string>;
}

/** An OpenAI Embeddings request (`/v1/embeddings`); the provider answers OpenAI's embeddings list JSON. */
export interface EmbeddingsCall extends UpstreamCall {
  /** The client's bytes, when they are exactly what `body` says (same model id). */
  rawBody?: Uint8Array;
}

export interface UpstreamResponse {
  status: number;
  /** Headers worth relaying to the client (content-type, x-request-id, openai-processing-ms…). */
  headers: Record<string, string>;
  /** OpenAI-format bytes: JSON, or (stream and status 200) SSE events. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body will not be read (e.g. before failing over). */
  discard(): void;
}

/** A failure before any response arrived: the next channel may be tried. */
export class UpstreamConnectionError extends Error {
  constructor(
    message: string,
    readonly kind: "connect" | "timeout" | "aborted",
  ) {
    super(message);
    this.name = "UpstreamConnectionError";
  }
}

export interface Provider {
  /** The `Channel.type` this adapter serves. */
  readonly type: string;
  /** Whether a channel of this type needs a base URL (the sandbox does not). */
  readonly needsBaseUrl: boolean;
  /** The base URL a channel of this type gets when none is given (a public API's own origin). */
  readonly defaultBaseUrl?: string;
  /**
   * Whether its calls give up on their own once the channel's timeout passes without an answer
   * starting (failing with an UpstreamConnectionError of kind "timeout"). The relay then passes
   * the client's signal straight through instead of arming a timer and an AbortController of its
   * own for every attempt.
   */
  readonly timesOut?: boolean;
  chatCompletions(call: ChatCompletionCall): Promise<UpstreamResponse>;
  /** Present when the provider can speak the Responses API natively (used for channels flagged so). */
  responses?(call: ResponsesCall): Promise<UpstreamResponse>;
  /** Present when the provider speaks Anthropic's Messages API natively: bytes relayed unchanged. */
  messages?(call: MessagesCall): Promise<UpstreamResponse>;
  /** POST /v1/messages/count_tokens upstream (body: the count_tokens request). */
  countTokens?(call: MessagesCall): Promise<UpstreamResponse>;
  /** Present when the provider serves embedding models: answers OpenAI's embeddings list JSON. */
  embeddings?(call: EmbeddingsCall): Promise<UpstreamResponse>;
}
