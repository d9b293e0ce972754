import { LedgerKind } from "../../db/client";
import { MICROS_PER_USD } from "../../money";
import { authenticate } from "../authenticate";
import { getGateway, type Gateway } from "../context";
import { invalidRequest } from "../errors";
import { jsonResponse, type GatewayRequest, type GatewayResponse } from "../http";
import { newRequestId } from "../request-context";
import { errorResponse } from "../steps";

/**
 * The one-api/new-api convention third-party chat clients use to show a key's balance:
 * `subscription.hard_limit_usd` is what the key could spend in total and `usage.total_usage` (in
 * cents) what it has spent, so clients show hard_limit - usage as the remaining balance.
 * (Floats here are display values for those clients; the ledger stays in integer micro-dollars.)
 */
const usd = (micros: bigint) => Number(micros) / Number(MICROS_PER_USD);

async function spentBy(gw: Gateway, userId: string, from?: Date, to?: Date): Promise<bigint> {
  const sum = await gw.db().ledgerEntry.aggregate({
    where: { userId, kind: LedgerKind.USAGE, createdAt: { gte: from, lt: to } },
    _sum: { amount: true },
  });
  return -(sum._sum.amount ?? 0n);
}

export async function billingSubscription(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const caller = await authenticate(gw.db(), req.header("authorization"));
    let total: bigint;
    if (caller.budget !== null) {
      total = caller.budget;
    } else {
      const user = await gw.db().user.findUniqueOrThrow({ where: { id: caller.userId }, select: { balance: true } });
      total = user.balance + (await spentBy(gw, caller.userId));
    }
    const limit = usd(total);
    return jsonResponse(200, {
      object: "billing_subscription",
      has_payment_method: true,
      soft_limit_usd: limit,
      hard_limit_usd: limit,
      system_hard_limit_usd: limit,
      access_until: caller.expiresAt ? Math.floor(caller.expiresAt / 1000) : 0,
    });
  } catch (error) {
    return errorResponse(error, newRequestId()).response;
  }
}

function dateParam(req: GatewayRequest, name: string): Date | undefined {
  const value = req.query.get(name);
  if (!value) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw invalidRequest(`${name} must be a date like 2026-01-31`, name);
  return date;
}

export async function billingUsage(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const caller = await authenticate(gw.db(), req.header("authorization"));
    const from = dateParam(req, "start_date");
    const to = dateParam(req, "end_date");
    let spent: bigint;
    if (caller.budget !== null && !from && !to) {
      spent = (await gw.db().apiKey.findUniqueOrThrow({ where: { id: caller.keyId }, select: { spent: true } })).spent;
    } else {
      spent = await spentBy(gw, caller.userId, from, to);
    }
    return jsonResponse(200, { object: "list", total_usage: usd(spent) * 100 });
  } catch (error) {
    return errorResponse(error, newRequestId()).response;
  }
}
