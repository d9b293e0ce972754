import { displayUsd } from "../money";
import { insufficientQuota } from "./errors";
import type { HotStore } from "./store";
import type { Caller } from "./authenticate";

/**
 * Funds reserved for one in-flight request: the most it can cost, held against the user's balance
 * (and the key's budget) by a single conditional UPDATE, so concurrent requests — in this process
 * or any other instance — can never together spend more than there is. Settlement releases the
 * hold and books the exact cost.
 */
export interface Hold {
  userId: string;
  keyId: string;
  userAmount: bigint;
  keyAmount: bigint;
}

export async function placeHold(store: HotStore, caller: Caller, amount: bigint): Promise<Hold> {
  const hold: Hold = { userId: caller.userId, keyId: caller.keyId, userAmount: 0n, keyAmount: 0n };
  // Free models need no reservation: they work even at a zero balance.
  if (amount <= 0n) return hold;

  if (!(await store.holdUser(caller.userId, amount))) {
    const user = await store.funds(caller.userId);
    const balance = user?.balance ?? 0n;
    throw insufficientQuota(
      `You exceeded your current quota: your balance is ${displayUsd(balance)}` +
        (user && user.held > 0n ? ` (${displayUsd(user.held)} of it reserved by requests in flight)` : "") +
        ` and this request may cost up to ${displayUsd(amount)}. Top up your balance in the portal, or lower max_tokens.`,
    );
  }
  hold.userAmount = amount;

  if (caller.budget !== null) {
    if (caller.budgetMonthly) await startBudgetMonth(store, caller.keyId);
    if (!(await store.holdKey(caller.keyId, amount))) {
      await releaseHold(store, hold);
      throw insufficientQuota(
        `This API key's budget of ${displayUsd(caller.budget)} cannot cover this request (up to ${displayUsd(amount)}). ` +
          "Raise the key's budget or use another key.",
      );
    }
    hold.keyAmount = amount;
  }
  return hold;
}

/** Gives a hold back at once, for requests refused before anything was sent upstream. */
export async function releaseHold(store: HotStore, hold: Hold): Promise<void> {
  await store.release(hold.userId, hold.userAmount, hold.keyId, hold.keyAmount);
  hold.userAmount = 0n;
  hold.keyAmount = 0n;
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
