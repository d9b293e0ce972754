import { APICallError, RetryError } from "ai";
import type { PlaygroundErrorBody } from "./types";
import { logger } from "../observability/log";

/**
 * The playground's own words for a failure, in the language of the request (the route fills them
 * from the `playground.api` messages). ENGLISH is used where no request language is at hand: errors
 * met inside a running stream, which the browser says again in its own language by their code.
 */
export interface FailureTexts {
  insufficient: (detail: string) => string;
  unreachable: string;
  stopped: string;
}

export const ENGLISH: FailureTexts = {
  insufficient: (detail) => `Insufficient balance — top up to keep using this model. ${detail}`,
  unreachable: "The playground could not complete the call to the API. Try again in a moment.",
  stopped: "Stopped.",
};

/** What went wrong with a playground turn, in words for the person at the keyboard. */
export interface PlaygroundFailure {
  status: number;
  code: string | null;
  message: string;
}

/** The gateway's error body: OpenAI's `{error: {message, code}}`, or Anthropic's `{type: "error", error: {type, message}}` (whose type stands for the code). */
function gatewayError(body: string | undefined): { message?: string; code?: string | null } | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { type?: unknown; error?: { message?: unknown; code?: unknown; type?: unknown } };
    if (!parsed.error || typeof parsed.error !== "object") return null;
    const code = typeof parsed.error.code === "string" ? parsed.error.code : parsed.type === "error" && typeof parsed.error.type === "string" ? parsed.error.type : null;
    return {
      message: typeof parsed.error.message === "string" ? parsed.error.message : undefined,
      code,
    };
  } catch {
    return null;
  }
}

/**
 * Turns an error of the AI SDK's call to our /v1 API into a failure to show. The gateway's own
 * OpenAI-shaped error (status, code, message) is kept as it is — a 404 model shows its message —
 * and an insufficient balance is said plainly, since the playground spends the user's money.
 */
export function describeFailure(error: unknown, texts: FailureTexts = ENGLISH): PlaygroundFailure {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode ?? 502;
    const parsed = gatewayError(cause.responseBody);
    const message = parsed?.message ?? cause.message ?? `The API answered ${status}`;
    const code = parsed?.code ?? null;
    if (status === 402 || code === "insufficient_quota" || code === "billing_error") {
      return { status: 402, code: "insufficient_quota", message: texts.insufficient(message) };
    }
    return { status, code, message };
  }
  if (cause instanceof Error && cause.name === "AbortError") return { status: 499, code: "aborted", message: texts.stopped };
  // An error event inside the upstream's stream (OpenAI's {"error": {...}} chunk) or a provider stream error.
  const streamError = streamErrorOf(cause);
  if (streamError) return { status: 502, code: streamError.code ?? "stream_error", message: streamError.message };
  logger("playground").error({ event: "playground.call_failed", err: cause }, "Playground call failed");
  return { status: 502, code: "gateway_unreachable", message: texts.unreachable };
}

/**
 * Says a failure body of the playground routes again in the request's language: the playground's
 * own messages are replaced, the gateway's (an OpenAI-compatible /v1 error, English) are kept.
 */
export function localizeFailureBody(body: PlaygroundErrorBody, texts: FailureTexts): PlaygroundErrorBody {
  const { error } = body;
  const prefix = ENGLISH.insufficient("").trim();
  let message = error.message;
  if (error.code === "insufficient_quota" && message.startsWith(prefix)) message = texts.insufficient(message.slice(prefix.length).trim());
  else if (error.code === "gateway_unreachable") message = texts.unreachable;
  else if (error.code === "aborted") message = texts.stopped;
  return { error: { ...error, message } };
}

/**
 * Errors that carry the upstream's own words: a plain `{message, code}` object (an OpenAI
 * `{"error": {...}}` stream chunk as the providers pass it on) or one of the AI SDK's errors
 * (names "AI_…"). Anything else (a refused connection, a bug) is logged and described generically.
 */
function streamErrorOf(value: unknown): { message: string; code: string | null } | null {
  if (value === null || typeof value !== "object") return null;
  const sdkError = value instanceof Error && value.name.startsWith("AI_");
  if (value instanceof Error && !sdkError) return null;
  const inner = !sdkError && "error" in value && value.error && typeof value.error === "object" ? value.error : value;
  const message = "message" in inner && typeof inner.message === "string" && inner.message ? inner.message : null;
  if (!message) return null;
  const code = "code" in inner && typeof inner.code === "string" ? inner.code : null;
  return { message, code };
}

export function failureBody(failure: PlaygroundFailure): PlaygroundErrorBody {
  return { error: { message: failure.message, code: failure.code, status: failure.status } };
}

/** Errors inside a running stream reach the client as the error chunk's text: the same JSON body. */
export function failureText(error: unknown): string {
  return JSON.stringify(failureBody(describeFailure(error)));
}
