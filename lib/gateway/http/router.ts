import { billingSubscription, billingUsage } from "../protocols/billing-compat";
import { chatCompletions, createEmbeddings, createMessage, createResponse } from "../protocols/endpoints";
import { listModels, retrieveModel } from "../protocols/models";
import { countMessageTokens } from "../protocols/messages/count-tokens";
import { deleteResponse, listInputItems, retrieveResponse } from "../protocols/responses/stored";
import { GatewayError, invalidRequest } from "../pipeline/errors";
import type { GatewayRequest, GatewayResponse } from "./types";

/** Dispatches /v1 requests to their endpoint. Used by the Next route handler and the custom server alike. */
export async function routeV1(req: GatewayRequest): Promise<GatewayResponse> {
  try {
    return await dispatch(req);
  } catch (error) {
    // Only path decoding throws here; endpoints answer their own errors.
    if (error instanceof GatewayError) return errorOf(error);
    throw error;
  }
}

async function dispatch(req: GatewayRequest): Promise<GatewayResponse> {
  const path = req.path.replace(/\/+$/, "");
  const route = (method: string) => req.method === method || (method === "GET" && req.method === "HEAD");

  if (path === "/v1/chat/completions") return route("POST") ? chatCompletions(req) : methodNotAllowed(req, "POST");
  // Anthropic's SDKs add ?beta=true for beta calls: the query is not part of the route.
  if (path === "/v1/messages") return route("POST") ? createMessage(req) : methodNotAllowed(req, "POST");
  if (path === "/v1/messages/count_tokens") return route("POST") ? countMessageTokens(req) : methodNotAllowed(req, "POST");
  if (path === "/v1/embeddings") return route("POST") ? createEmbeddings(req) : methodNotAllowed(req, "POST");
  if (path === "/v1/models") return route("GET") ? listModels(req) : methodNotAllowed(req, "GET");
  if (path.startsWith("/v1/models/")) {
    return route("GET") ? retrieveModel(req, decodePathSegment(path.slice("/v1/models/".length))) : methodNotAllowed(req, "GET");
  }
  if (path === "/v1/responses") return route("POST") ? createResponse(req) : methodNotAllowed(req, "POST");
  const responsePath = /^\/v1\/responses\/([^/]+)(\/input_items)?$/.exec(path);
  if (responsePath) {
    const id = decodePathSegment(responsePath[1]!);
    if (responsePath[2]) return route("GET") ? listInputItems(req, id) : methodNotAllowed(req, "GET");
    if (route("GET")) return retrieveResponse(req, id);
    if (req.method === "DELETE") return deleteResponse(req, id);
    return methodNotAllowed(req, "GET, DELETE");
  }
  if (path === "/v1/dashboard/billing/subscription") return route("GET") ? billingSubscription(req) : methodNotAllowed(req, "GET");
  if (path === "/v1/dashboard/billing/usage") return route("GET") ? billingUsage(req) : methodNotAllowed(req, "GET");
  return errorOf(new GatewayError(404, `Invalid URL (${req.method} ${req.path})`, "invalid_request_error", "unknown_url"));
}

/** A percent-encoded path segment; malformed encoding (`%`, `%zz`) is the client's mistake, a 400. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidRequest(`The URL path segment '${segment.slice(0, 100)}' is not valid percent-encoding.`, null, "invalid_url");
  }
}

function methodNotAllowed(req: GatewayRequest, allowed: string): GatewayResponse {
  const error = new GatewayError(405, `Method ${req.method} is not allowed for ${req.path}; use ${allowed}.`, "invalid_request_error", "method_not_allowed", null, {
    allow: allowed,
  });
  return errorOf(error);
}

function errorOf(error: GatewayError): GatewayResponse {
  return { status: error.status, headers: { "content-type": "application/json", ...error.headers }, body: error.toBody() };
}
