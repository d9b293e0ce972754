/**
 * Anthropic's error shape, `{"type":"error","error":{"type":"overloaded_error","message":"…"}}`:
 * the HTTP status each error type comes with, and its Chat Completions form for OpenAI clients.
 */

import type { Opening } from "../read-ahead";

export interface AnthropicError {
  type: string;
  message: string;
}

/** Anthropic's documented status for each error type; an unknown type is a server error. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function statusOfErrorType(type: string): number {
  return STATUS_OF_TYPE[type] ?? 500;
}

export function anthropicErrorBody(error: AnthropicError): string {
  return JSON.stringify({ type: "error", error: { type: error.type, message: error.message } });
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The error in an Anthropic error body (or `error` event's data), or null if it is not one. */
export function anthropicErrorOf(value: unknown): AnthropicError | null {
  if (!isObject(value) || value.type !== "error" || !isObject(value.error)) return null;
  const { type, message } = value.error;
  return { type: typeof type === "string" && type ? type : "api_error", message: typeof message === "string" ? message : "" };
}

/**
 * An upstream error body for an OpenAI client: Anthropic's shape becomes OpenAI's (the Anthropic
 * type serves as both `type` and `code`); anything else goes on unchanged for the pipeline to read.
 */
export function chatErrorBody(bytes: Uint8Array): Uint8Array | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return bytes;
  }
  const error = anthropicErrorOf(parsed);
  return error ? openAIErrorBody(error.message || error.type, error.type, null) : bytes;
}

export function openAIErrorBody(message: string, type: string, param: string | null): string {
  return JSON.stringify({ error: { message, type, param, code: type } });
}

/** Events that come before the answer proper; reading on past them is safe. */
const PREAMBLE = new Set(["message_start", "ping"]);

/** A stream's opening event: message_start and ping are preamble, an `error` event fails the call. */
export function anthropicOpening(data: string): Opening<AnthropicError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return "content";
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  if (typeof type === "string" && PREAMBLE.has(type)) return "preamble";
  if (type !== "error") return "content";
  return { error: anthropicErrorOf(parsed) ?? { type: "api_error", message: "The upstream stream failed" } };
}
