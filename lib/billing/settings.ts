import type { Db } from "../db/client";
import { UserError, apiMessage } from "../errors";
import { parseUsd } from "../money";

/** The billing preferences a user controls: the low-balance warning and auto-recharge. */
export interface BillingSettingsInput {
  lowBalanceThresholdUsd?: unknown;
  autoRecharge?: { enabled?: unknown; thresholdUsd?: unknown; amountUsd?: unknown } | null;
}

function optionalUsd(value: unknown, field: string): bigint | null {
  if (value === null || value === undefined || value === "") return null;
  try {
    const amount = parseUsd(String(value));
    if (amount < 0n) throw new UserError("Amounts cannot be negative", 400, "invalid_amount", field, apiMessage("amountNegative"));
    return amount;
  } catch (error) {
    throw UserError.on(error, field, "invalid_amount");
  }
}

export async function updateBillingSettings(db: Db, userId: string, input: BillingSettingsInput) {
  const data: Record<string, unknown> = {};
  // Bad input changes nothing: a mistyped autoRecharge must not switch auto-recharge off.
  if (input.autoRecharge !== undefined && (input.autoRecharge === null || typeof input.autoRecharge !== "object" || Array.isArray(input.autoRecharge))) {
    throw new UserError("autoRecharge must be an object", 400, "invalid_field", "autoRecharge", apiMessage("fieldInvalid", { field: "autoRecharge", expected: "an object" }));
  }
  if (!("lowBalanceThresholdUsd" in input) && input.autoRecharge === undefined) {
    throw new UserError("Nothing to change: send lowBalanceThresholdUsd or autoRecharge", 400, "nothing_to_change", undefined, apiMessage("nothingToChange"));
  }
  if ("lowBalanceThresholdUsd" in input) data.lowBalanceThreshold = optionalUsd(input.lowBalanceThresholdUsd, "lowBalanceThresholdUsd");
  if (input.autoRecharge) {
    const enabled = input.autoRecharge.enabled === true;
    const threshold = optionalUsd(input.autoRecharge.thresholdUsd, "autoRecharge.thresholdUsd");
    const amount = optionalUsd(input.autoRecharge.amountUsd, "autoRecharge.amountUsd");
    if (enabled) {
      const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { autoRechargePaymentMethodId: true } });
      if (!user.autoRechargePaymentMethodId) {
        throw new UserError("Save a card first: make a top-up with “save this card for auto-recharge” ticked.", 400, "no_saved_card", "autoRecharge.enabled", apiMessage("noSavedCard"));
      }
      if (threshold === null || amount === null || amount <= 0n) {
        throw new UserError("Set both the balance that triggers a recharge and the amount to charge", 400, "invalid_auto_recharge", "autoRecharge", apiMessage("autoRechargeIncomplete"));
      }
    }
    Object.assign(data, { autoRechargeEnabled: enabled, autoRechargeThreshold: threshold, autoRechargeAmount: amount, ...(enabled ? { autoRechargeError: null } : {}) });
  }
  return db.user.update({
    where: { id: userId },
    data,
    select: { lowBalanceThreshold: true, autoRechargeEnabled: true, autoRechargeThreshold: true, autoRechargeAmount: true },
  });
}
