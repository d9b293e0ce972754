import type { Opening } from "../read-ahead";

/**
 * Gemini's error shape, `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}}` (a
 * google.rpc.Status): its OpenAI form for clients, with an HTTP status the relay fails over on when
 * it should (401, 403, 408, 429, 5xx). `code` is the HTTP status the error came with; an error
 * without one (in a stream after HTTP 200) gets its status from the gRPC status name.
 */

export interface GeminiError {
  code: number | null;
  message: string;
  status: string;
  /** The `reason` of an ErrorInfo detail (API_KEY_INVALID…), when there is one. */
  reason?: string;
  /** Seconds to wait, from a RetryInfo detail's `retryDelay` ("21s"): Gemini sends no retry-after header. */
  retryAfter?: string;
}

/**
 * Reasons that make a 400 the channel's fault: Gemini answers a wrong or expired key with 400
 * INVALID_ARGUMENT, which would neither fail over nor disable the channel. They count as 401.
 */
const KEY_REASONS = new Set(["API_KEY_INVALID", "API_KEY_EXPIRED"]);

/** HTTP status and OpenAI error type for each gRPC status name Gemini uses. */
const BY_STATUS: Record<string, { http: number; type: string }> = {
  INVALID_ARGUMENT: { http: 400, type: "invalid_request_error" },
  FAILED_PRECONDITION: { http: 400, type: "invalid_request_error" },
  OUT_OF_RANGE: { http: 400, type: "invalid_request_error" },
  UNAUTHENTICATED: { http: 401, type: "authentication_error" },
  PERMISSION_DENIED: { http: 403, type: "permission_error" },
  NOT_FOUND: { http: 404, type: "not_found_error" },
  ABORTED: { http: 409, type: "api_error" },
  RESOURCE_EXHAUSTED: { http: 429, type: "rate_limit_error" },
  CANCELLED: { http: 499, type: "api_error" },
  INTERNAL: { http: 500, type: "api_error" },
  UNKNOWN: { http: 500, type: "api_error" },
  UNAVAILABLE: { http: 503, type: "api_error" },
  DEADLINE_EXCEEDED: { http: 504, type: "timeout_error" },
};

/** The status to answer with: the error's own HTTP code when it is one, else its status name's. */
export function httpStatusOf(error: GeminiError): number {
  if (error.reason && KEY_REASONS.has(error.reason)) return 401;
  if (error.code !== null && error.code >= 400 && error.code <= 599) return error.code;
  return BY_STATUS[error.status]?.http ?? 500;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The error in a Gemini error body (or stream event), or null if it is not one. */
export function geminiErrorOf(value: unknown): GeminiError | null {
  // Some proxies wrap the body in an array, as Gemini's non-SSE stream does.
  const body = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!isObject(body) || !isObject(body.error)) return null;
  const { code, message, status, details } = body.error;
  const error: GeminiError = { code: typeof code === "number" ? code : null, message: typeof message === "string" ? message : "", status: typeof status === "string" && status ? status : "UNKNOWN" };
  const info = (Array.isArray(details) ? details : []).find((detail) => isObject(detail) && typeof detail.reason === "string") as { reason: string } | undefined;
  if (info) error.reason = info.reason;
  const retry = (Array.isArray(details) ? details : []).find((detail) => isObject(detail) && typeof detail.retryDelay === "string") as { retryDelay: string } | undefined;
  const seconds = retry ? /^(\d+(?:\.\d+)?)s$/.exec(retry.retryDelay) : null;
  if (seconds) error.retryAfter = String(Math.ceil(Number(seconds[1])));
  return error;
}

export function openAIErrorBody(message: string, type: string, param: string | null, code: string | null = type): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

/** A Gemini error in OpenAI's shape: the type from the status name, the status name as `code`. */
export function openAIErrorOf(error: GeminiError): string {
  if (httpStatusOf(error) === 401) return openAIErrorBody(error.message || error.status, "authentication_error", null, error.reason ?? error.status);
  const type = BY_STATUS[error.status]?.type ?? (httpStatusOf(error) >= 500 ? "api_error" : "invalid_request_error");
  return openAIErrorBody(error.message || error.status, type, null, error.status);
}

/**
 * An upstream error answer for an OpenAI client: Gemini's shape becomes OpenAI's (and a bad key's
 * 400 a 401); anything else goes on unchanged with its status for the pipeline to read.
 */
export function chatError(statusCode: number, bytes: Uint8Array): { status: number; body: Uint8Array | string; retryAfter?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return { status: statusCode, body: bytes };
  }
  const error = geminiErrorOf(parsed);
  if (!error) return { status: statusCode, body: bytes };
  return { status: error.reason && KEY_REASONS.has(error.reason) ? 401 : statusCode, body: openAIErrorOf(error), retryAfter: error.retryAfter };
}

/** Headers for an error answer: Gemini's RetryInfo delay as retry-after when the upstream sent none. */
export function withRetryAfter(headers: Record<string, string>, retryAfter: string | undefined): Record<string, string> {
  return retryAfter && !headers["retry-after"] ? { ...headers, "retry-after": retryAfter } : headers;
}

/** A stream's first event: Gemini has no preamble, so it is either an error or the answer. */
export function geminiOpening(data: string): Opening<GeminiError> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not JSON: the translation reports it.
  }
  const error = geminiErrorOf(parsed);
  return error ? { error } : "content";
}
