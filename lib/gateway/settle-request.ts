import { costOf, type Price } from "../billing/pricing";
import type { Gateway } from "./context";
import type { Metered } from "./meter";
import type { RequestContext } from "./request-context";
import type { GatewayResponse } from "./http";
import type { UpstreamResponse } from "./providers/types";
import { relayedError } from "./upstream-body";
import { tenantBytes, tenantText } from "./tenant-text";

/** Queues a finished request's log row and exact charge, and counts its tokens against the key's TPM. */
export function settleRequest(
  ctx: RequestContext,
  gw: Gateway,
  price: Price,
  status: number,
  metered: Metered | null,
  error?: { code: string; message: string },
): void {
  const usage = metered?.usage;
  gw.settlements.settle(
    ctx.record({
      status,
      promptTokens: usage?.promptTokens ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      cachedTokens: usage?.cachedTokens ?? 0,
      reasoningTokens: usage?.reasoningTokens ?? 0,
      cost: usage ? costOf(usage, price) : 0n,
      estimated: metered?.estimated ?? false,
      errorCode: error?.code ?? null,
      errorMessage: error ? tenantText(error.message) : null,
    }),
    ctx.hold,
  );
  if (usage && ctx.caller) void gw.limiter.recordTokens(ctx.caller.keyId, usage.promptTokens + usage.completionTokens);
}

/** An upstream 4xx caused by the request: relayed to the caller (OpenAI-shaped), logged, not charged. */
export function upstreamErrorResponse(ctx: RequestContext, gw: Gateway, price: Price, response: UpstreamResponse, bytes: Uint8Array): GatewayResponse {
  const relayed = relayedError(response.status, tenantBytes(bytes));
  settleRequest(ctx, gw, price, response.status, null, { code: relayed.code, message: relayed.message });
  const retryAfter = response.headers["retry-after"];
  return {
    status: response.status,
    headers: { "content-type": "application/json", "x-request-id": ctx.id, ...(retryAfter ? { "retry-after": retryAfter } : {}) },
    body: relayed.body,
  };
}
