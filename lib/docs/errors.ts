/**
 * The errors an endpoint's page lists: exactly the error responses its operation has in the
 * OpenAPI document (lib/openapi/document.ts), so the page and /openapi.json cannot disagree. Pure.
 */
import { ANTHROPIC_ERROR_TYPES, type DocsEndpoint } from "./reference";

/** docs.reference.errorMeanings.<key>: what the status means on this endpoint. */
export type ErrorMeaning =
  | "400"
  | "400Query"
  | "401"
  | "402"
  | "403"
  | "404"
  | "404Model"
  | "404Response"
  | "404Previous"
  | "413"
  | "429"
  | "500"
  | "502"
  | "503"
  | "504"
  | "529";

export interface EndpointError {
  status: number;
  /** Anthropic's `error.type`, or OpenAI's `error.code`: what a client branches on. */
  code: string;
  meaning: ErrorMeaning;
}

type Json = Record<string, unknown>;

const ANTHROPIC_TYPES = new Map<number, string>(ANTHROPIC_ERROR_TYPES);

/** OpenAI-shaped errors' `code` (lib/gateway/pipeline/errors.ts); 404's depends on what is looked up. */
const OPENAI_CODES: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_api_key",
  402: "insufficient_quota",
  403: "model_not_allowed",
  404: "model_not_found",
  413: "request_too_large",
  429: "rate_limit_exceeded",
  500: "internal_error",
  502: "upstream_error",
  503: "no_available_channel",
  504: "upstream_error",
};

const storedResponse = (endpoint: DocsEndpoint) => endpoint.openapiPath.startsWith("/responses/");

function openAIError(endpoint: DocsEndpoint, status: number): EndpointError {
  if (status === 404 && storedResponse(endpoint)) return { status, code: "not_found", meaning: "404Response" };
  if (status === 404 && endpoint.method === "GET") return { status, code: "model_not_found", meaning: "404Model" };
  if (status === 404 && endpoint.bodySchema === "CreateResponseRequest") return { status, code: "model_not_found", meaning: "404Previous" };
  // A GET's 400 is about its query parameters; a POST's about its body.
  if (status === 400 && endpoint.method === "GET") return { status, code: "invalid_request_error", meaning: "400Query" };
  return { status, code: OPENAI_CODES[status] ?? "api_error", meaning: String(status) as ErrorMeaning };
}

/** The endpoint's error statuses, lowest first, with the code a client sees and the meaning's message key. */
export function endpointErrors(document: Json, endpoint: DocsEndpoint): EndpointError[] {
  const pathItem = ((document.paths as Record<string, Json>)[endpoint.openapiPath] ?? {}) as Json;
  const operation = (pathItem[endpoint.method.toLowerCase()] ?? {}) as Json;
  const statuses = Object.keys((operation.responses as Json | undefined) ?? {})
    .map(Number)
    .filter((status) => status >= 400)
    .sort((a, b) => a - b);
  return statuses.map((status) =>
    endpoint.protocol === "anthropic" ? { status, code: ANTHROPIC_TYPES.get(status) ?? "api_error", meaning: String(status) as ErrorMeaning } : openAIError(endpoint, status),
  );
}
