import { MICROS_PER_USD } from "../../money";
import { failureResponse } from "./openai-errors";
import { authenticate } from "../pipeline/authenticate";
import { getGateway, type Gateway } from "../context";
import { invalidRequest } from "../pipeline/errors";
import { gatewayJson, type GatewayRequest, type GatewayResponse } from "../http/types";

/**
 * The one-api/new-api convention third-party chat clients use to show a key's balance:
 * `subscription.hard_limit_usd` is what the key could spend in total and `usage.total_usage` (in
 * cents) what it has spent, so clients show hard_limit - usage as the remaining balance.
 * (Floats here are display values for those clients; the ledger stays in integer micro-dollars.)
 */
const usd = (micros: bigint) => Number(micros) / Number(MICROS_PER_USD);

export async function billingSubscription(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const store = gw.store();
    const caller = await authenticate(store, req.header("authorization"));
    let total: bigint;
    if (caller.budget !== null) {
      total = caller.budget;
    } else {
      const [funds, spent] = await Promise.all([store.funds(caller.userId), store.usageCost(caller.userId)]);
      total = (funds?.balance ?? 0n) + spent;
    }
    const limit = usd(total);
    return gatewayJson(200, {
      object: "billing_subscription",
      has_payment_method: true,
      soft_limit_usd: limit,
      hard_limit_usd: limit,
      system_hard_limit_usd: limit,
      access_until: caller.expiresAt ? Math.floor(caller.expiresAt / 1000) : 0,
    });
  } catch (error) {
    return failureResponse(error);
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
    const store = gw.store();
    const caller = await authenticate(store, req.header("authorization"));
    const from = dateParam(req, "start_date");
    const to = dateParam(req, "end_date");
    let spent: bigint;
    if (caller.budget !== null && !from && !to) {
      spent = await store.keySpent(caller.keyId);
    } else {
      spent = await store.usageCost(caller.userId, from, to);
    }
    return gatewayJson(200, { object: "list", total_usage: usd(spent) * 100 });
  } catch (error) {
    return failureResponse(error);
  }
}
