import type { GatewayError } from "../../pipeline/errors";
import type { GatewayResponse } from "../../http/types";
import type { RelayedError } from "../../pipeline/protocol";
import { relayedError } from "../../http/upstream-body";

/**
 * Errors as Anthropic's API writes them, `{"type":"error","error":{"type","message"}}`, with its
 * statuses, so the Anthropic SDKs raise their own classes and Claude Code retries what it should.
 */
const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  503: "overloaded_error",
  504: "timeout_error",
  529: "overloaded_error",
};

export function anthropicErrorType(status: number): string {
  return TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function anthropicErrorBody(status: number, message: string, requestId?: string): string {
  return JSON.stringify({ type: "error", error: { type: anthropicErrorType(status), message }, ...(requestId ? { request_id: requestId } : {}) });
}

export function anthropicErrorResponse(error: GatewayError, requestId: string): GatewayResponse {
  return {
    status: error.status,
    headers: { "content-type": "application/json", "x-request-id": requestId, "request-id": requestId, ...error.headers },
    body: anthropicErrorBody(error.status, error.message, requestId),
  };
}

/** An upstream's refusal: an Anthropic error passes unchanged; any other (an OpenAI-compatible channel's) takes Anthropic's shape. */
export function anthropicRelayedError(status: number, bytes: Uint8Array): RelayedError {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as { type?: unknown; error?: { type?: unknown; message?: unknown } };
    if (parsed.type === "error" && typeof parsed.error?.message === "string") {
      return { body: bytes, code: typeof parsed.error.type === "string" ? parsed.error.type : `upstream_${status}`, message: parsed.error.message };
    }
  } catch {
    // not JSON: read below
  }
  const relayed = relayedError(status, bytes);
  return { body: anthropicErrorBody(status, relayed.message), code: relayed.code, message: relayed.message };
}
