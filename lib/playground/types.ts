import type { UIMessage } from "ai";

/**
 * Shapes shared by the playground's route handlers and its client components (no server imports
 * here: this file ends up in the browser bundle).
 */

/** Which API the playground calls on our gateway: OpenAI's Chat Completions or Responses, or Anthropic's Messages. */
export type PlaygroundApi = "chat" | "responses" | "messages";

/** A model the signed-in user can call, with its price (micro-dollars per 1M tokens, as strings). */
export interface PlaygroundModel {
  id: string;
  inputPrice: string;
  outputPrice: string;
  cachedInputPrice: string | null;
  free: boolean;
  /** "$2.50 in · $10.00 out / 1M tokens", or "free". */
  priceLabel: string;
  /** For the picker: "$2.50 / $10.00 per 1M", or "free". */
  shortPrice: string;
}

/** What each assistant turn carries besides its text: sent as UI message metadata. */
export interface TurnMetadata {
  model?: string;
  api?: PlaygroundApi;
  stream?: boolean;
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  /** Micro-dollars, as a decimal string (bigint on the server). */
  cost?: string;
  /** The cost for display, e.g. "$0.000123" (micro-dollar precision). */
  costLabel?: string;
  finishReason?: string;
  /** Wall time of the turn on the server, in milliseconds. */
  durationMs?: number;
  /** The gateway's request id ("req_…"): the turn's row in the usage log. */
  requestId?: string;
}

export type PlaygroundMessage = UIMessage<TurnMetadata>;

/** The settings sent with every turn (the body of POST /api/playground/chat, besides `messages`). */
export interface PlaygroundSettings {
  model: string;
  system: string;
  /** null: the model's default. */
  temperature: number | null;
  /** null: no limit sent (the gateway assumes its default for the hold). */
  maxTokens: number | null;
  stream: boolean;
  api: PlaygroundApi;
}

/** The error body of the playground routes: OpenAI-like, plus the HTTP status the gateway gave. */
export interface PlaygroundErrorBody {
  error: { message: string; code: string | null; status: number; requestId?: string };
}

/** The Responses API refuses max_output_tokens below this (OpenAI's floor). */
export const MIN_RESPONSES_MAX_TOKENS = 16;
export const MAX_TOKENS_LIMIT = 1_000_000;
/** Anthropic's Messages API needs max_tokens: what the playground sends when none is set. */
export const DEFAULT_MESSAGES_MAX_TOKENS = 4096;
/** Anthropic's temperature is between 0 and 1 (OpenAI's between 0 and 2). */
export const MAX_MESSAGES_TEMPERATURE = 1;
export const MAX_SYSTEM_PROMPT_CHARS = 100_000;
