import type Stripe from "stripe";
import type { Db, Payment } from "../../db/client";
import { LedgerKind, PaymentStatus } from "../../db/client";
import { displayUsd } from "../../money";
import { appendLedgerEntry } from "../ledger";
import { centsToMicros, getStripe, stripeConfigured } from "./client";
import {
  assertSameAmount,
  fetchIntentDetails,
  findOrCreateCheckoutPayment,
  findOrCreateIntentPayment,
  intentFailureReason,
  markPaid,
  PaymentMismatchError,
  readMetadata,
  recordPaymentDetails,
  RetryLaterError,
  stripeId,
  type IntentDetails,
} from "./payments";
import { logger } from "../../observability/log";

const log = logger("stripe");

/**
 * Turning what Stripe reports into money movements. Every function is idempotent: the same report
 * delivered many times, concurrently, or through two paths (webhook and the success page's poll)
 * moves money once, because each movement has one ledger idempotency key:
 *   stripe:checkout:<checkout session id>        a Checkout top-up (completed or async_payment_succeeded)
 *   stripe:payment_intent:<payment intent id>     an auto-recharge
 *   stripe:refund:<charge id>:<µ$ refunded before> the next slice of a charge's refunds
 */
export type Outcome = "credited" | "already_credited" | "pending" | "failed" | "expired" | "refunded" | "ignored";

export const checkoutLedgerKey = (sessionId: string) => `stripe:checkout:${sessionId}`;
export const intentLedgerKey = (paymentIntentId: string) => `stripe:payment_intent:${paymentIntentId}`;
export const refundLedgerPrefix = (chargeId: string) => `stripe:refund:${chargeId}:`;

const CREDITED: PaymentStatus[] = [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED];

/** A card kept for off-session payments becomes the auto-recharge card (only for the user's own customer). */
async function saveCardForAutoRecharge(db: Db, userId: string, details: IntentDetails): Promise<void> {
  if (details.intent.setup_future_usage !== "off_session" || !details.paymentMethodId || !details.customerId) return;
  await db.user.updateMany({
    where: { id: userId, stripeCustomerId: details.customerId },
    data: { autoRechargePaymentMethodId: details.paymentMethodId },
  });
}

/**
 * checkout.session.completed / async_payment_succeeded (and the success page's poll): credits the
 * top-up once the session is paid; an unpaid session (bank debits and other delayed methods) stays
 * PENDING until async_payment_succeeded or _failed.
 */
export async function fulfillCheckoutSession(db: Db, session: Stripe.Checkout.Session): Promise<Outcome> {
  const payment = await findOrCreateCheckoutPayment(db, session);
  if (!payment) return "ignored";
  const intentId = stripeId(session.payment_intent);
  if (session.payment_status !== "paid") {
    await recordPaymentDetails(db, payment, { paymentIntentId: intentId });
    return "pending";
  }
  await assertSameAmount(db, payment, `checkout session ${session.id}`, {
    amountCents: session.amount_total,
    currency: session.currency,
    metadata: session.metadata,
  });
  const { created } = await appendLedgerEntry(db, {
    userId: payment.userId,
    kind: LedgerKind.TOPUP,
    amount: payment.amount,
    idempotencyKey: checkoutLedgerKey(session.id),
    paymentId: payment.id,
    note: "Card top-up (Stripe Checkout)",
  });
  await markPaid(db, payment.id);
  await recordPaymentDetails(db, payment, { paymentIntentId: intentId });
  // Charge id, receipt and the saved card come from the PaymentIntent. If Stripe cannot be reached the
  // credit above stands and the error makes Stripe redeliver, which fills them in.
  if (intentId && !(payment.chargeId && payment.receiptUrl)) {
    const details = await fetchIntentDetails(intentId);
    await saveCardForAutoRecharge(db, payment.userId, details);
    await recordPaymentDetails(db, { ...payment, paymentIntentId: payment.paymentIntentId ?? intentId }, details);
  }
  return created ? "credited" : "already_credited";
}

/** checkout.session.async_payment_failed: the delayed payment did not go through. */
export async function failCheckoutSession(db: Db, session: Stripe.Checkout.Session): Promise<Outcome> {
  const payment = await findOrCreateCheckoutPayment(db, session);
  if (!payment) return "ignored";
  const intentId = stripeId(session.payment_intent);
  let reason = "The payment did not go through.";
  let chargeId: string | null = null;
  if (intentId) {
    try {
      const details = await fetchIntentDetails(intentId);
      reason = intentFailureReason(details.intent, reason);
      chargeId = details.chargeId;
    } catch (error) {
      log.warn({ event: "payment.failure_reason_unavailable", paymentIntentId: intentId, err: error }, "Could not fetch a PaymentIntent for the failure reason");
    }
  }
  await recordPaymentDetails(db, payment, { paymentIntentId: intentId, chargeId });
  await db.payment.updateMany({ where: { id: payment.id, status: PaymentStatus.PENDING }, data: { status: PaymentStatus.FAILED, failureReason: reason } });
  return "failed";
}

/** checkout.session.expired: the customer never paid. */
export async function expireCheckoutSession(db: Db, session: Stripe.Checkout.Session): Promise<Outcome> {
  const payment = await findOrCreateCheckoutPayment(db, session);
  if (!payment) return "ignored";
  await db.payment.updateMany({
    where: { id: payment.id, status: PaymentStatus.PENDING },
    data: { status: PaymentStatus.EXPIRED, failureReason: "The checkout page expired before it was paid." },
  });
  return "expired";
}

export const isAutoRechargeIntent = (intent: Pick<Stripe.PaymentIntent, "metadata">) => intent.metadata?.autoRecharge === "1";

/** What the portal shows after an auto-recharge failed (it is turned off until the user turns it on again). */
export function autoRechargeFailureMessage(amount: bigint, reason: string): string {
  const sentence = /[.!?]$/.test(reason.trim()) ? reason.trim() : `${reason.trim()}.`;
  return `Auto-recharge of ${displayUsd(amount)} failed: ${sentence} Auto-recharge is now off — check your card (or save a new one with a top-up) and turn it back on.`;
}

export async function disableAutoRecharge(db: Db, userId: string, message: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { autoRechargeEnabled: false, autoRechargeError: message } });
}

/** payment_intent.succeeded for an auto-recharge: credits it once. Checkout's own intents are ignored here. */
export async function creditAutoRecharge(db: Db, intent: Stripe.PaymentIntent): Promise<Outcome> {
  if (!isAutoRechargeIntent(intent)) return "ignored";
  const payment = await findOrCreateIntentPayment(db, intent);
  if (!payment) return "ignored";
  if (intent.status !== "succeeded") return "pending";
  await assertSameAmount(db, payment, `auto-recharge PaymentIntent ${intent.id}`, {
    amountCents: intent.amount,
    currency: intent.currency,
    metadata: intent.metadata,
  });
  const { created } = await appendLedgerEntry(db, {
    userId: payment.userId,
    kind: LedgerKind.TOPUP,
    amount: payment.amount,
    idempotencyKey: intentLedgerKey(intent.id),
    paymentId: payment.id,
    note: "Auto-recharge (Stripe)",
  });
  await markPaid(db, payment.id);
  const charge = intent.latest_charge && typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  await recordPaymentDetails(db, payment, { chargeId: stripeId(intent.latest_charge), receiptUrl: charge?.receipt_url ?? null });
  if (!payment.receiptUrl && !charge) {
    const details = await fetchIntentDetails(intent.id);
    await recordPaymentDetails(db, payment, details);
  }
  return created ? "credited" : "already_credited";
}

/**
 * payment_intent.payment_failed for an auto-recharge (or a decline seen when creating it): the
 * Payment becomes FAILED and auto-recharge is turned off with a message — once, however often reported.
 */
export async function failAutoRecharge(db: Db, intent: Stripe.PaymentIntent, fallbackReason = "The card was declined."): Promise<Outcome> {
  if (!isAutoRechargeIntent(intent)) return "ignored";
  const payment = await findOrCreateIntentPayment(db, intent);
  if (!payment) return "ignored";
  const reason = intentFailureReason(intent, fallbackReason);
  await recordPaymentDetails(db, payment, { chargeId: stripeId(intent.latest_charge) });
  const { count } = await db.payment.updateMany({
    where: { id: payment.id, status: PaymentStatus.PENDING },
    data: { status: PaymentStatus.FAILED, failureReason: reason },
  });
  if (count) await disableAutoRecharge(db, payment.userId, autoRechargeFailureMessage(payment.amount, reason));
  return "failed";
}

async function paymentOfCharge(db: Db, charge: Stripe.Charge): Promise<Payment | null> {
  const byCharge = await db.payment.findFirst({ where: { chargeId: charge.id } });
  if (byCharge) return byCharge;
  const intentId = stripeId(charge.payment_intent);
  return intentId ? db.payment.findUnique({ where: { paymentIntentId: intentId } }) : null;
}

/**
 * charge.refunded: amount_refunded is cumulative, so each delivery books only what is not booked yet.
 * The key names the amount already booked before this slice ("stripe:refund:<charge>:<before>"), so two
 * deliveries that saw the same state collide on one key and the loser re-reads and books the rest:
 * duplicates, reordering (full before partial) and concurrent deliveries all book the exact total once.
 */
export async function bookChargeRefund(db: Db, charge: Stripe.Charge): Promise<Outcome> {
  const payment = await paymentOfCharge(db, charge);
  if (!payment) {
    const intentId = stripeId(charge.payment_intent);
    if (!intentId) return "ignored";
    const ours = readMetadata(charge.metadata) ?? readMetadata((await getStripe().paymentIntents.retrieve(intentId)).metadata);
    if (!ours) return "ignored";
    throw new RetryLaterError(`Charge ${charge.id} was refunded before its payment was recorded; Stripe will redeliver`);
  }
  if (!CREDITED.includes(payment.status)) {
    throw new RetryLaterError(`Charge ${charge.id} was refunded but payment ${payment.id} is not credited yet (${payment.status}); Stripe will redeliver`);
  }
  const refunded = centsToMicros(charge.amount_refunded);
  if (refunded > payment.amount) {
    const message = `Charge ${charge.id} reports ${displayUsd(refunded)} refunded, more than payment ${payment.id} (${displayUsd(payment.amount)})`;
    log.error({ event: "payment.mismatch" }, `STRIPE PAYMENT MISMATCH — ${message}`);
    throw new PaymentMismatchError(message);
  }
  const prefix = refundLedgerPrefix(charge.id);
  for (;;) {
    const booked = await db.ledgerEntry.aggregate({ where: { paymentId: payment.id, idempotencyKey: { startsWith: prefix } }, _sum: { amount: true } });
    const before = -(booked._sum.amount ?? 0n);
    if (refunded <= before) break;
    const { created } = await appendLedgerEntry(db, {
      userId: payment.userId,
      kind: LedgerKind.REFUND,
      amount: -(refunded - before),
      idempotencyKey: `${prefix}${before}`,
      paymentId: payment.id,
      note: `Card refund (${displayUsd(refunded)} of ${displayUsd(payment.amount)} refunded)`,
    });
    if (created) break;
    // Someone booked the slice starting at `before` first: re-read and book what is still missing.
  }
  await db.payment.updateMany({
    where: { id: payment.id, refundedAmount: { lt: refunded } },
    data: { refundedAmount: refunded, status: refunded >= payment.amount ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED },
  });
  await recordPaymentDetails(db, payment, { chargeId: charge.id, receiptUrl: charge.receipt_url });
  return "refunded";
}

// The success page polls; ask Stripe at most this often per session while the webhook is still on its way.
const POLL_INTERVAL_MS = 2_000;
const lastPolled = new Map<string, number>();

/**
 * For the success page: a PENDING checkout payment is looked up at Stripe and fulfilled the same way
 * the webhook would (so a slow or missing webhook does not leave the user waiting). Errors are logged
 * and the stored state returned.
 */
export async function refreshCheckoutPayment(db: Db, payment: Payment): Promise<Payment> {
  if (payment.status !== PaymentStatus.PENDING || !payment.checkoutSessionId || !stripeConfigured()) return payment;
  const now = Date.now();
  if ((lastPolled.get(payment.checkoutSessionId) ?? 0) > now - POLL_INTERVAL_MS) return payment;
  lastPolled.set(payment.checkoutSessionId, now);
  if (lastPolled.size > 10_000) lastPolled.clear();
  try {
    const session = await getStripe().checkout.sessions.retrieve(payment.checkoutSessionId);
    if (session.status === "complete" && session.payment_status === "paid") await fulfillCheckoutSession(db, session);
    else if (session.status === "expired") await expireCheckoutSession(db, session);
  } catch (error) {
    log.error({ event: "checkout.check_failed", checkoutSessionId: payment.checkoutSessionId, err: error }, "Checking a checkout session at Stripe failed");
  }
  return db.payment.findUniqueOrThrow({ where: { id: payment.id } });
}
