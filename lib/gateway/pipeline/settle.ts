import { costOf, type Price } from "../../billing/pricing";
import { displayUsd } from "../../money";
import type { Gateway } from "../context";
import type { GatewayError } from "./errors";
import type { Metered } from "./meter";
import type { RequestContext } from "./request-context";
import { tenantText } from "../tenant/tenant-text";
import { requestFinished } from "../../observability/request-finished";
import { logger } from "../../observability/log";

/**
 * Queues a finished request's log row and exact charge, and corrects its TPM count from the
 * admitted bound to the tokens it used. Resolves once the settlement is committed: an answer's last
 * bytes wait for it, so what a client received is never lost with a crashed instance.
 *
 * A cost above the reservation (an upstream that ignored max_tokens, an image or file that cost
 * more than its allowance) is billed in full all the same: it may take the balance below zero, and
 * the row says so (`reservation_overrun`); from then on every paid request is refused with a 402
 * until a top-up makes the balance positive again.
 */
export function settleRequest(
  ctx: RequestContext,
  gw: Gateway,
  price: Price,
  status: number,
  metered: Metered | null,
  error?: { code: string; message: string },
): Promise<void> {
  const usage = metered?.usage;
  const cost = usage ? costOf(usage, price) : 0n;
  const reserved = ctx.hold?.user?.amount ?? null;
  const overrun = !error && reserved !== null && cost > reserved ? overrunNote(cost, reserved) : null;
  const record = ctx.record({
    status,
    promptTokens: usage?.promptTokens ?? 0,
    completionTokens: usage?.completionTokens ?? 0,
    cachedTokens: usage?.cachedTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    cacheWrite1hTokens: usage?.cacheWrite1hTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    cost,
    estimated: metered?.estimated ?? false,
    errorCode: error?.code ?? overrun?.code ?? null,
    errorMessage: error ? tenantText(error.message) : (overrun?.message ?? null),
  });
  const written = gw.settlements.settle(record, ctx.hold);
  requestFinished(record, ctx.span);
  if (overrun) logger("gateway").warn({ event: "billing.reservation_overrun", requestId: ctx.id, cost: Number(cost), reserved: Number(reserved) }, overrun.message);
  recordTokenUse(ctx, gw, usage ? usage.promptTokens + usage.completionTokens : 0);
  return written;
}

/** A request that ended with an error of ours before anything was metered: logged, nothing charged. */
export function settleFailure(ctx: RequestContext, gw: Gateway, error: GatewayError): void {
  const record = ctx.errorRecord(error);
  void gw.settlements.settle(record, ctx.hold);
  requestFinished(record, ctx.span);
  recordTokenUse(ctx, gw, 0);
}

/** Only keys with a TPM limit were admitted with a bound; no other key's tokens are counted anywhere. */
function recordTokenUse(ctx: RequestContext, gw: Gateway, used: number): void {
  const admitted = ctx.admittedTokens;
  if (!ctx.caller || !admitted) return;
  ctx.admittedTokens = 0;
  void gw.limiter.recordTokens(ctx.caller.keyId, used - admitted, Date.now(), ctx.admittedAt);
}

function overrunNote(cost: bigint, reserved: bigint) {
  return {
    code: "reservation_overrun",
    message: `Billed ${displayUsd(cost)}, more than the ${displayUsd(reserved)} reserved for this request (the upstream reported more tokens than the request's bound).`,
  };
}
