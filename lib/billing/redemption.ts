import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { LedgerKind } from "../db/client";
import { hashApiKey, randomBase62 } from "../keys/api-key";
import { UserError, apiMessage } from "../errors";
import { appendLedgerEntry } from "./ledger";

/**
 * Redemption codes: single-use vouchers worth a fixed amount, made by admins and redeemed by users
 * on the billing page. Only a hash is stored. Redeeming flips the code to redeemed with one
 * conditional update, so a code can never be redeemed twice, even by concurrent requests.
 */
const CODE_PATTERN = /^RA-[0-9A-Za-z]{24}$/;
const MAX_BATCH = 1_000;

export async function createRedemptionCodes(db: Db, input: { amount: bigint; count?: number; note?: string | null; createdById?: string | null; expiresAt?: Date | null }) {
  const count = input.count ?? 1;
  if (input.amount <= 0n) throw new UserError("A code must be worth a positive amount", 400, "invalid_amount", "amount", apiMessage("codeAmountPositive"));
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH) throw new UserError(`Make between 1 and ${MAX_BATCH} codes at a time`, 400, "invalid_count", "count", apiMessage("codeCount", { max: MAX_BATCH }));
  const codes = Array.from({ length: count }, () => `RA-${randomBase62(24)}`);
  await db.redemptionCode.createMany({
    data: codes.map((code) => ({
      codeHash: hashApiKey(code),
      prefix: code.slice(0, 7),
      amount: input.amount,
      note: input.note ?? null,
      createdById: input.createdById ?? null,
      expiresAt: input.expiresAt ?? null,
    })),
  });
  return codes;
}

export async function redeemCode(db: Db, userId: string, rawCode: string) {
  const code = rawCode.trim();
  const invalid = () => new UserError("This code is not valid or has already been used", 400, "invalid_code", "code", apiMessage("invalidCode"));
  if (!CODE_PATTERN.test(code)) throw invalid();
  const record = await db.redemptionCode.findUnique({ where: { codeHash: hashApiKey(code) } });
  if (!record || record.redeemedById) throw invalid();
  if (record.expiresAt && record.expiresAt <= new Date()) throw new UserError("This code has expired", 400, "expired_code", "code", apiMessage("expiredCode"));
  const claimed = await db.redemptionCode.updateMany({ where: { id: record.id, redeemedById: null }, data: { redeemedById: userId, redeemedAt: new Date() } });
  if (claimed.count !== 1) throw invalid(); // someone redeemed it a moment ago
  const { entry } = await appendLedgerEntry(db, {
    userId,
    kind: LedgerKind.REDEMPTION,
    amount: record.amount,
    idempotencyKey: `redeem:${record.id}`,
    note: `Redeemed code ${record.prefix}…${record.note ? ` (${record.note})` : ""}`,
  });
  return { amount: record.amount, balance: entry.balanceAfter };
}

/** Sign-up credit (SIGNUP_CREDIT_USD), booked once per user. */
export async function grantSignupCredit(db: Db, userId: string, amount: bigint): Promise<void> {
  if (amount <= 0n) return;
  await appendLedgerEntry(db, { userId, kind: LedgerKind.SIGNUP_CREDIT, amount, idempotencyKey: `signup:${userId}`, note: "Welcome credit" });
}

export const newAdjustmentKey = () => `adjust:${randomUUID()}`;
