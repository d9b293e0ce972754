import { maxCostOf, type Price } from "../../billing/pricing";
import type { Gateway } from "../context";
import type { Caller } from "./authenticate";
import type { Catalog, RoutedChannel } from "../routing/catalog";
import type { RequestContext } from "./request-context";
import { GatewayError, databaseUnavailable, internalError, modelNotAllowed, modelNotFound, rateLimited, upstreamUnavailable } from "./errors";
import type { RateLimiter } from "../limits/rate-limit";
import { ClientGone } from "./relay";
import { placeHold } from "../funds/holds";
import { TOKENS_PER_FILE, TOKENS_PER_IMAGE } from "./tokens";
import { connectionClosedOutcome, type CutOutcome } from "../http/shutdown";
import { countRateLimitRefusal } from "../../observability/metrics";
import { logger } from "../../observability/log";
import { isDatabaseUnavailable } from "../store/unavailable";

/** Small steps shared by the /v1 endpoints, each one decision. */

/** The models a caller may use: callable ones, narrowed by the key's allow-list. */
export function modelsFor(caller: Caller, catalog: Catalog): string[] {
  return caller.allowedModels ? catalog.models.filter((m) => caller.allowedModels!.has(m)) : [...catalog.models];
}

/** The channels and price for a model, or the 404/403 the caller should see. */
export function resolveModel(catalog: Catalog, caller: Caller, model: string): { channels: readonly RoutedChannel[]; price: Price } {
  const channels = catalog.channelsByModel.get(model);
  const price = catalog.prices.get(model);
  const routable = !!channels?.length && !!price;
  if (!routable && !catalog.unavailable.has(model)) throw modelNotFound(model, modelsFor(caller, catalog));
  if (caller.allowedModels && !caller.allowedModels.has(model)) throw modelNotAllowed(model);
  if (!routable) throw upstreamUnavailable(`The model \`${model}\` is temporarily unavailable: every upstream serving it is failing. Please try again later.`, 503);
  return { channels: channels!, price: price! };
}

/** The most tokens a request can use: what its reservation and its TPM admission are computed from. */
export interface TokenBound {
  prompt: number;
  output: number;
}

/**
 * Rate limits, then the hold: the request is counted against the key's RPM and, with its token
 * bound, its TPM; then the most it can cost is reserved. Settlement corrects both to what it used.
 */
export async function reserve(gw: Gateway, ctx: RequestContext, caller: Caller, price: Price, bound: TokenBound): Promise<void> {
  const tokens = bound.prompt + bound.output;
  await admit(gw.limiter, caller, tokens);
  if (caller.tpmLimit !== null) ctx.admitTokens(tokens);
  ctx.hold = await placeHold(gw.leases, gw.store(), caller, maxCostOf(bound.prompt, bound.output, price));
}

export async function admit(limiter: RateLimiter, caller: Caller, tokens = 0): Promise<void> {
  if (caller.rpmLimit === null && caller.tpmLimit === null) return;
  const decision = await limiter.admit(caller.keyId, { rpm: caller.rpmLimit, tpm: caller.tpmLimit, tokens });
  if (decision.ok) return;
  countRateLimitRefusal(decision.kind);
  const what = decision.kind === "requests" ? "requests per minute (RPM)" : "tokens per minute (TPM)";
  const size = decision.kind === "tokens" ? ` This request may use up to ${tokens} tokens (prompt plus max output tokens); lower max_tokens to need less.` : "";
  throw rateLimited(
    `Rate limit reached for this API key: limit ${decision.limit} ${what}.${size} Please try again in ${decision.retryAfterSeconds}s.`,
    decision.retryAfterSeconds,
    decision.kind,
  );
}

/** Content parts priced by what they show, not by their bytes in the body. */
const IMAGE_PARTS = new Set(["image_url", "input_image", "image"]);
const FILE_PARTS = new Set(["file", "input_file", "document"]);

/**
 * An upper bound of the prompt's tokens without tokenizing it: every BPE token covers at least one
 * byte, so the body's size (plus any stored history sent along) bounds the text; images and files
 * may reference content by URL or id, so each adds its own allowance — wherever it appears, in
 * whichever protocol's shape (chat messages, Responses input items, tool results).
 */
export function promptTokensUpperBound(bodyBytes: number, ...content: unknown[]): number {
  let images = 0;
  let files = 0;
  // Depth is bounded: bodies deeper than the JSON guard's limit never get this far.
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === "object") visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.type === "string") {
      if (IMAGE_PARTS.has(record.type)) images++;
      else if (FILE_PARTS.has(record.type)) files++;
    }
    for (const key in record) {
      const child = record[key];
      if (child !== null && typeof child === "object") visit(child);
    }
  };
  for (const value of content) if (value !== null && typeof value === "object") visit(value);
  return bodyBytes + images * TOKENS_PER_IMAGE + files * TOKENS_PER_FILE;
}

const closedError = ({ status, code, message }: CutOutcome) => new GatewayError(status, message, code, code);

/** Whatever ended a request early, as the error its client gets (unexpected ones are logged). */
export function failureOf(error: unknown, requestId: string): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof ClientGone) return closedError(connectionClosedOutcome());
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  logger("gateway").error({ event: "request.unexpected_error", requestId, err: error }, "Request failed unexpectedly");
  return internalError();
}
