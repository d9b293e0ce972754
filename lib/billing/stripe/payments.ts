import type Stripe from "stripe";
import type { Db, Payment } from "../../db/client";
import { PaymentStatus } from "../../db/client";
import { displayUsd } from "../../money";
import { centsToMicros, getStripe } from "./client";
import { logger } from "../../observability/log";

const log = logger("stripe");

/** The webhook must answer 5xx so Stripe redelivers later (e.g. an event overtook the one it depends on). */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/**
 * What Stripe reports does not match what we recorded (amount, currency, user). Nothing is credited;
 * the webhook answers 500 so the delivery shows as failing in Stripe's dashboard until someone looks.
 */
export class PaymentMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentMismatchError";
  }
}

export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

/** An expandable Stripe field ("pi_…" or the expanded object) as its id. */
export function stripeId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

export interface RootApiMetadata {
  userId: string;
  amountMicros: bigint;
}

/** Our metadata on a Checkout Session or PaymentIntent: {userId, amountMicros}; null when it is not ours. */
export function readMetadata(metadata: Stripe.Metadata | null | undefined): RootApiMetadata | null {
  const userId = metadata?.userId;
  const amount = metadata?.amountMicros;
  if (!userId || !amount || !/^\d+$/.test(amount)) return null;
  return { userId, amountMicros: BigInt(amount) };
}

/** Statuses from which a payment may become PAID (a refunded payment stays refunded). */
const PAYABLE = [PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.EXPIRED];

async function userExists(db: Db, userId: string): Promise<boolean> {
  return (await db.user.count({ where: { id: userId } })) > 0;
}

/**
 * The Payment row of a Checkout Session. Normally created when the session was; recreated from the
 * session's metadata if that insert was lost. Null when the session is not a RootAPI top-up.
 */
export async function findOrCreateCheckoutPayment(db: Db, session: Stripe.Checkout.Session): Promise<Payment | null> {
  const existing = await db.payment.findUnique({ where: { checkoutSessionId: session.id } });
  if (existing) return existing;
  const metadata = readMetadata(session.metadata);
  if (!metadata || session.mode !== "payment") return null;
  if (!(await userExists(db, metadata.userId))) {
    log.error({ event: "checkout.unknown_user", checkoutSessionId: session.id, userId: metadata.userId }, "Stripe checkout session names an unknown user; ignored");
    return null;
  }
  try {
    return await db.payment.create({
      data: { userId: metadata.userId, checkoutSessionId: session.id, amount: metadata.amountMicros, currency: session.currency ?? "usd", status: PaymentStatus.PENDING },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.payment.findUniqueOrThrow({ where: { checkoutSessionId: session.id } });
  }
}

/** The Payment row of an auto-recharge PaymentIntent (recreated from its metadata when missing). */
export async function findOrCreateIntentPayment(db: Db, intent: Stripe.PaymentIntent): Promise<Payment | null> {
  const existing = await db.payment.findUnique({ where: { paymentIntentId: intent.id } });
  if (existing) return existing;
  const metadata = readMetadata(intent.metadata);
  if (!metadata) return null;
  if (!(await userExists(db, metadata.userId))) {
    log.error({ event: "payment.unknown_user", paymentIntentId: intent.id, userId: metadata.userId }, "Stripe PaymentIntent names an unknown user; ignored");
    return null;
  }
  try {
    return await db.payment.create({
      data: {
        userId: metadata.userId,
        paymentIntentId: intent.id,
        amount: metadata.amountMicros,
        currency: intent.currency ?? "usd",
        status: PaymentStatus.PENDING,
        autoRecharge: intent.metadata?.autoRecharge === "1",
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.payment.findUniqueOrThrow({ where: { paymentIntentId: intent.id } });
  }
}

/**
 * Refuses to credit when Stripe's amount, currency or user differ from our record. The reason is kept
 * on the Payment and logged loudly.
 */
export async function assertSameAmount(
  db: Db,
  payment: Payment,
  what: string,
  reported: { amountCents: number | null; currency: string | null; metadata: Stripe.Metadata | null | undefined },
): Promise<void> {
  const problems: string[] = [];
  if ((reported.currency ?? "").toLowerCase() !== payment.currency.toLowerCase()) {
    problems.push(`currency ${reported.currency} ≠ ${payment.currency}`);
  }
  if (reported.amountCents === null || centsToMicros(reported.amountCents) !== payment.amount) {
    problems.push(`Stripe amount ${reported.amountCents} cents ≠ recorded ${displayUsd(payment.amount)}`);
  }
  const metadata = readMetadata(reported.metadata);
  if (metadata && metadata.amountMicros !== payment.amount) problems.push(`metadata amount ${metadata.amountMicros} µ$ ≠ recorded ${payment.amount} µ$`);
  if (metadata && metadata.userId !== payment.userId) problems.push(`metadata user ${metadata.userId} ≠ recorded ${payment.userId}`);
  if (!problems.length) return;
  const message = `Refusing to credit ${what} (payment ${payment.id}): ${problems.join("; ")}`;
  log.error({ event: "payment.mismatch" }, `STRIPE PAYMENT MISMATCH — ${message}`);
  // The person who paid sees a plain reason; the details (ids, amounts) go to the server log.
  const reason = "Stripe reported a different amount than this top-up, so it was not credited. Please contact support.";
  await db.payment.update({ where: { id: payment.id }, data: { failureReason: reason } }).catch(() => undefined);
  throw new PaymentMismatchError(message);
}

/** PENDING/FAILED/EXPIRED → PAID (refunded payments keep their status). */
export async function markPaid(db: Db, paymentId: string): Promise<void> {
  await db.payment.updateMany({ where: { id: paymentId, status: { in: PAYABLE } }, data: { status: PaymentStatus.PAID, failureReason: null } });
}

/** Remembers Stripe ids and the receipt on a Payment, never overwriting a known value with null. */
export async function recordPaymentDetails(
  db: Db,
  payment: Payment,
  details: { paymentIntentId?: string | null; chargeId?: string | null; receiptUrl?: string | null },
): Promise<void> {
  const data: { paymentIntentId?: string; chargeId?: string; receiptUrl?: string } = {};
  if (details.paymentIntentId && !payment.paymentIntentId) data.paymentIntentId = details.paymentIntentId;
  if (details.chargeId && details.chargeId !== payment.chargeId) data.chargeId = details.chargeId;
  if (details.receiptUrl && details.receiptUrl !== payment.receiptUrl) data.receiptUrl = details.receiptUrl;
  if (!Object.keys(data).length) return;
  try {
    await db.payment.update({ where: { id: payment.id }, data });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another row already owns that PaymentIntent id (should not happen); keep the rest.
    log.error({ event: "payment.intent_reused", paymentIntentId: details.paymentIntentId, paymentId: payment.id }, "PaymentIntent is already recorded on another payment");
    delete data.paymentIntentId;
    if (Object.keys(data).length) await db.payment.update({ where: { id: payment.id }, data });
  }
}

export interface IntentDetails {
  intent: Stripe.PaymentIntent;
  chargeId: string | null;
  receiptUrl: string | null;
  paymentMethodId: string | null;
  customerId: string | null;
}

/** Retrieves a PaymentIntent with its latest charge (charge id, receipt URL, saved card). */
export async function fetchIntentDetails(paymentIntentId: string): Promise<IntentDetails> {
  const intent = await getStripe().paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge"] });
  const charge = intent.latest_charge && typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  return {
    intent,
    chargeId: stripeId(intent.latest_charge),
    receiptUrl: charge?.receipt_url ?? null,
    paymentMethodId: stripeId(intent.payment_method),
    customerId: stripeId(intent.customer),
  };
}

/** The reason a PaymentIntent failed, readable by the person who paid. */
export function intentFailureReason(intent: Pick<Stripe.PaymentIntent, "last_payment_error"> | null | undefined, fallback: string): string {
  const error = intent?.last_payment_error;
  return error?.message || (error?.decline_code ? `Declined (${error.decline_code})` : error?.code ? `Failed (${error.code})` : fallback);
}

/** A Payment as the portal shows it (bigint money becomes decimal strings in JSON). */
export function paymentView(payment: Payment) {
  return {
    id: payment.id,
    status: payment.status,
    amount: payment.amount,
    refundedAmount: payment.refundedAmount,
    currency: payment.currency,
    autoRecharge: payment.autoRecharge,
    receiptUrl: payment.receiptUrl,
    failureReason: payment.failureReason,
    checkoutSessionId: payment.checkoutSessionId,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}
