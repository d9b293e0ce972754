/**
 * Errors in OpenAI's wire shape {"error":{"message","type","param","code"}} so the official SDKs
 * raise the matching class (BadRequestError, AuthenticationError, RateLimitError, …).
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }

  toBody(): string {
    return JSON.stringify({ error: { message: this.message, type: this.type, param: this.param, code: this.code } });
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new GatewayError(400, message, "invalid_request_error", code, param);

export const invalidApiKey = (message: string) => new GatewayError(401, message, "invalid_request_error", "invalid_api_key");

export const insufficientQuota = (message: string) => new GatewayError(402, message, "insufficient_quota", "insufficient_quota");

export const modelNotAllowed = (model: string) =>
  new GatewayError(403, `This API key is not allowed to use the model \`${model}\`.`, "invalid_request_error", "model_not_allowed", "model");

export const modelNotFound = (model: string, available: string[]) =>
  new GatewayError(
    404,
    `The model \`${model}\` does not exist or you do not have access to it.` +
      (available.length ? ` Available models include: ${available.slice(0, 5).join(", ")}.` : ""),
    "invalid_request_error",
    "model_not_found",
    "model",
  );

export const notFound = (message: string) => new GatewayError(404, message, "invalid_request_error", "not_found");

export const bodyTooLarge = (limit: number) =>
  new GatewayError(413, `The request body is larger than the ${Math.round(limit / 1024 / 1024)} MB limit.`, "invalid_request_error", "request_too_large");

export const rateLimited = (message: string, retryAfterSeconds: number, kind: "requests" | "tokens") =>
  new GatewayError(429, message, kind, "rate_limit_exceeded", null, { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) });

export const upstreamUnavailable = (message: string, status: 502 | 503 | 504 = 502) =>
  new GatewayError(status, message, status === 504 ? "timeout" : "api_error", status === 503 ? "no_available_channel" : "upstream_error");

export const databaseUnavailable = () =>
  new GatewayError(503, "The service is temporarily unavailable (its database cannot be reached). Please try again shortly.", "service_unavailable", "database_unavailable");

export const internalError = () => new GatewayError(500, "The server had an error while processing your request.", "server_error", "internal_error");
