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
}

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
  if (error.code !== null && error.code >= 400 && error.code <= 599) return error.code;
  return BY_STATUS[error.status]?.http ?? 500;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The error in a Gemini error body (or stream event), or null if it is not one. */
export function geminiErrorOf(value: unknown): GeminiError | null {
  // Some proxies wrap the body in an array, as Gemini's non-SSE stream does.
  const body = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!isObject(body) || !isObject(body.error)) return null;
  const { code, message, status } = body.error;
  return { code: typeof code === "number" ? code : null, message: typeof message === "string" ? message : "", status: typeof status === "string" && status ? status : "UNKNOWN" };
}

export function openAIErrorBody(message: string, type: string, param: string | null, code: string | null = type): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

/** A Gemini error in OpenAI's shape: the type from the status name, the status name as `code`. */
export function openAIErrorOf(error: GeminiError): string {
  const type = BY_STATUS[error.status]?.type ?? (httpStatusOf(error) >= 500 ? "api_error" : "invalid_request_error");
  return openAIErrorBody(error.message || error.status, type, null, error.status);
}

/** An upstream error body for an OpenAI client: Gemini's shape becomes OpenAI's; anything else goes on unchanged. */
export function chatErrorBody(bytes: Uint8Array): Uint8Array | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return bytes;
  }
  const error = geminiErrorOf(parsed);
  return error ? openAIErrorOf(error) : bytes;
}
