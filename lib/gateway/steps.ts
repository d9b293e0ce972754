import type { z } from "zod";
import type { Price } from "../billing/pricing";
import { authenticate } from "./authenticate";
import { getCatalog } from "./catalog";
import type { Gateway } from "./context";
import type { GatewayRequest } from "./http";
import type { RequestContext } from "./request-context";
import { parseJsonBody, validate } from "./validate";
import type { Caller } from "./authenticate";
import type { Catalog, RoutedChannel } from "./catalog";
import { GatewayError, internalError, modelNotAllowed, modelNotFound, rateLimited } from "./errors";
import type { GatewayResponse } from "./http";
import type { RateLimiter } from "./rate-limit";
import { ClientGone } from "./relay";
import { TOKENS_PER_IMAGE } from "./tokens";

/** Small steps shared by the /v1 endpoints, each one decision. */

/**
 * The opening every model endpoint shares: authenticate → read and validate the body → resolve the
 * model → rate limits. Fills in the request context as it learns things, so a failure is logged
 * with whatever was known.
 */
export async function openModelRequest<T extends { model: string; stream?: boolean | null }>(req: GatewayRequest, gw: Gateway, ctx: RequestContext, schema: z.ZodType<T>) {
  const store = gw.store();
  const caller = (ctx.caller = await authenticate(store, req.header("authorization")));
  const bytes = await req.readBody(gw.config.maxBodyBytes);
  const body = parseJsonBody(bytes);
  const request = validate(schema, body);
  ctx.model = request.model;
  ctx.stream = request.stream === true;
  const { channels, price } = resolveModel(await getCatalog(store), caller, request.model);
  await admit(gw.limiter, caller);
  return { caller, bytes, body, request, channels, price };
}

/** The models a caller may use: callable ones, narrowed by the key's allow-list. */
export function modelsFor(caller: Caller, catalog: Catalog): string[] {
  return caller.allowedModels ? catalog.models.filter((m) => caller.allowedModels!.has(m)) : [...catalog.models];
}

/** The channels and price for a model, or the 404/403 the caller should see. */
export function resolveModel(catalog: Catalog, caller: Caller, model: string): { channels: readonly RoutedChannel[]; price: Price } {
  const channels = catalog.channelsByModel.get(model);
  const price = catalog.prices.get(model);
  if (!channels?.length || !price) throw modelNotFound(model, modelsFor(caller, catalog));
  if (caller.allowedModels && !caller.allowedModels.has(model)) throw modelNotAllowed(model);
  return { channels, price };
}

export async function admit(limiter: RateLimiter, caller: Caller): Promise<void> {
  if (caller.rpmLimit === null && caller.tpmLimit === null) return;
  const decision = await limiter.admit(caller.keyId, { rpm: caller.rpmLimit, tpm: caller.tpmLimit });
  if (decision.ok) return;
  const what = decision.kind === "requests" ? "requests per minute (RPM)" : "tokens per minute (TPM)";
  throw rateLimited(
    `Rate limit reached for this API key: limit ${decision.limit} ${what}. Please try again in ${decision.retryAfterSeconds}s.`,
    decision.retryAfterSeconds,
    decision.kind,
  );
}

/**
 * An upper bound of the prompt's tokens without tokenizing it: every BPE token covers at least one
 * byte, so the body's size bounds the text; images are priced by tiles, not bytes.
 */
export function promptTokensUpperBound(bodyBytes: number, messages: ReadonlyArray<{ content?: unknown }>): number {
  let images = 0;
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Array<{ type?: unknown }>) if (part?.type === "image_url") images++;
  }
  return bodyBytes + images * TOKENS_PER_IMAGE;
}

/** The OpenAI-shaped answer for whatever ended a request early. */
export function errorResponse(error: unknown, requestId: string): { response: GatewayResponse; error: GatewayError } {
  const gatewayError =
    error instanceof GatewayError
      ? error
      : error instanceof ClientGone
        ? new GatewayError(499, "The client closed the request.", "client_closed_request", "client_closed_request")
        : (console.error(`Request ${requestId} failed:`, error), internalError());
  return {
    error: gatewayError,
    response: {
      status: gatewayError.status,
      headers: { "content-type": "application/json", "x-request-id": requestId, ...gatewayError.headers },
      body: gatewayError.toBody(),
    },
  };
}
