import { displayUsd } from "../../money";
import { insufficientQuota } from "../pipeline/errors";
import type { FundsLeases, Reservation } from "./leases";
import type { HotStore, LeaseSpend } from "../store/types";
import type { Caller } from "../pipeline/authenticate";

/**
 * Funds reserved for one in-flight request: the most it can cost, taken from the user's balance
 * (and the key's budget) through this instance's leases (lib/gateway/funds/leases.ts), so concurrent
 * requests — in this process or any other instance — can never together spend more than there is.
 * Settlement books the exact cost and frees the rest.
 */
export interface Hold {
  user: Reservation | null;
  key: Reservation | null;
}

export async function placeHold(leases: FundsLeases, store: HotStore, caller: Caller, amount: bigint): Promise<Hold> {
  const hold: Hold = { user: null, key: null };
  // Free models need no reservation: they work even at a zero balance.
  if (amount <= 0n) return hold;

  hold.user = await leases.reserve("user", caller.userId, amount);
  if (!hold.user) {
    const user = await store.funds(caller.userId);
    const balance = user?.balance ?? 0n;
    throw insufficientQuota(
      `You exceeded your current quota: your balance is ${displayUsd(balance)}` +
        (user && user.held > 0n ? ` (${displayUsd(user.held)} of it reserved for requests in flight)` : "") +
        ` and this request may cost up to ${displayUsd(amount)}. Top up your balance in the portal, or lower max_tokens.`,
    );
  }

  if (caller.budget !== null) {
    if (caller.budgetMonthly) await startBudgetMonth(store, caller.keyId);
    hold.key = await leases.reserve("key", caller.keyId, amount);
    if (!hold.key) {
      releaseHold(leases, hold, 0n);
      throw insufficientQuota(
        `This API key's budget of ${displayUsd(caller.budget)} cannot cover this request (up to ${displayUsd(amount)}). ` +
          "Raise the key's budget or use another key.",
      );
    }
  }
  return hold;
}

/**
 * Ends a hold once the request's cost is known (0 when it was refused): frees what it did not
 * spend, and returns what settlement must take out of the leases. Once only: the hold is emptied.
 */
export function releaseHold(leases: FundsLeases, hold: Hold, cost: bigint): LeaseSpend[] {
  const spends: LeaseSpend[] = [];
  for (const reservation of [hold.user, hold.key]) {
    if (!reservation) continue;
    const amount = leases.finish(reservation, cost);
    if (amount > 0n) spends.push({ ...reservation.lease.ref, amount });
  }
  hold.user = hold.key = null;
  return spends;
}

/** Keys whose monthly period was already checked this month, so the check costs a query once a month. */
const monthChecked = new Map<string, number>();

export function monthStartUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Starts a new budget month for a MONTHLY key (spent back to zero), once, whichever instance gets there first. */
export async function startBudgetMonth(store: HotStore, keyId: string, now = new Date()): Promise<void> {
  const month = monthStartUtc(now);
  if (monthChecked.get(keyId) === month.getTime()) return;
  await store.startBudgetPeriod(keyId, month);
  monthChecked.set(keyId, month.getTime());
}
