import type { Db } from "../db/client";
import type { LedgerKind } from "../db/client";

export interface LedgerInput {
  userId: string;
  kind: LedgerKind;
  /** Signed micro-dollars: positive credits the user, negative debits. */
  amount: bigint;
  /** The same movement (request id, Stripe event id…) is booked at most once. */
  idempotencyKey: string;
  note?: string | null;
  actorId?: string | null;
  requestId?: string | null;
  paymentId?: string | null;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

/**
 * Books one money movement: the balance change and its ledger row commit together or not at all,
 * so User.balance always equals the sum of the user's entries. Re-booking an idempotency key
 * returns the original entry and changes nothing.
 */
export async function appendLedgerEntry(db: Db, input: LedgerInput) {
  const existing = await db.ledgerEntry.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (existing) return { entry: existing, created: false };
  try {
    const entry = await db.$transaction(async (tx) => {
      // The UPDATE takes the user's row lock, so concurrent entries get consistent balanceAfter values.
      const user = await tx.user.update({
        where: { id: input.userId },
        data: { balance: { increment: input.amount } },
        select: { balance: true },
      });
      return tx.ledgerEntry.create({
        data: {
          userId: input.userId,
          kind: input.kind,
          amount: input.amount,
          balanceAfter: user.balance,
          idempotencyKey: input.idempotencyKey,
          note: input.note ?? null,
          actorId: input.actorId ?? null,
          requestId: input.requestId ?? null,
          paymentId: input.paymentId ?? null,
        },
      });
    });
    return { entry, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const entry = await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } });
    return { entry, created: false };
  }
}

export interface LedgerMismatch {
  userId: string;
  email: string;
  balance: bigint;
  ledgerSum: bigint;
}

/** Every user whose cached balance differs from the sum of their ledger entries. */
export async function findLedgerMismatches(db: Db): Promise<LedgerMismatch[]> {
  const [users, sums] = await Promise.all([
    db.user.findMany({ select: { id: true, email: true, balance: true } }),
    db.ledgerEntry.groupBy({ by: ["userId"], _sum: { amount: true } }),
  ]);
  const sumByUser = new Map(sums.map((row) => [row.userId, row._sum.amount ?? 0n]));
  return users
    .map((u) => ({ userId: u.id, email: u.email, balance: u.balance, ledgerSum: sumByUser.get(u.id) ?? 0n }))
    .filter((row) => row.balance !== row.ledgerSum);
}
