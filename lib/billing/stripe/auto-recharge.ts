import type Stripe from "stripe";
import type { Db, Payment } from "../../db/client";
import { LedgerKind, PaymentStatus } from "../../db/client";
import { displayUsd } from "../../money";
import { getStripe, MICROS_PER_CENT, microsToCents, stripeConfigured, topupLimits } from "./client";
import { autoRechargeFailureMessage, creditAutoRecharge, disableAutoRecharge, failAutoRecharge } from "./fulfill";
import { isUniqueViolation } from "./payments";
import { logger } from "../../observability/log";

const log = logger("stripe");

/**
 * Auto-recharge: when a user who opted in (and saved a card) drops below their threshold, charge the
 * card off-session for their chosen amount. The credit itself arrives like every other payment, through
 * the payment_intent.succeeded webhook.
 *
 * At most one charge per threshold crossing, however many settlement batches, server instances or
 * requests notice the crossing at once:
 *   - nothing is charged while an auto-recharge Payment of the user is PENDING;
 *   - the Stripe idempotency key names the crossing —
 *       autorecharge:<userId>:<id of the user's latest TOPUP entry or "none">:<number of auto-recharge payments so far>
 *     — so callers racing past the PENDING check get the very same PaymentIntent back from Stripe, and
 *     the Payment insert (unique paymentIntentId) records it once. A credit (new TOPUP) or a failed
 *     attempt (one more Payment) starts a new crossing, so a later recharge gets a fresh key.
 */
export type AutoRechargeResult =
  | { status: "skipped"; reason: string }
  | { status: "created"; paymentIntentId: string; intentStatus: string }
  | { status: "failed"; reason: string };

/** Smallest amount Stripe charges in USD. */
const STRIPE_MIN_MICROS = 500_000n;
/** A PENDING auto-recharge older than this is looked up at Stripe (in case its webhook never came). */
const STALE_PENDING_MS = 10 * 60_000;
/** After Stripe could not be reached (or refused our key) wait this long before asking again. */
const TRANSIENT_BACKOFF_MS = 60_000;

// Per process; on globalThis because the custom server and Next's bundle may both load this module.
const state = ((globalThis as typeof globalThis & { __rootapiAutoRecharge?: { running: Set<string>; backoff: Map<string, number> } }).__rootapiAutoRecharge ??= {
  running: new Set(),
  backoff: new Map(),
});

const skipped = (reason: string): AutoRechargeResult => ({ status: "skipped", reason });

export async function maybeAutoRecharge(db: Db, userId: string): Promise<AutoRechargeResult> {
  if (!stripeConfigured()) return skipped("stripe_not_configured");
  if (state.running.has(userId)) return skipped("in_progress");
  const until = state.backoff.get(userId);
  if (until && until > Date.now()) return skipped("backing_off");
  state.running.add(userId);
  try {
    return await attempt(db, userId);
  } finally {
    state.running.delete(userId);
  }
}

async function attempt(db: Db, userId: string): Promise<AutoRechargeResult> {
  // What names this crossing is read BEFORE the balance: a recharge credited in between then shows in the
  // balance (no second charge); one credited after both reads leaves the key as it was (same PaymentIntent).
  const [lastTopup, attempts] = await Promise.all([
    db.ledgerEntry.findFirst({ where: { userId, kind: LedgerKind.TOPUP }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } }),
    db.payment.count({ where: { userId, autoRecharge: true } }),
  ]);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      balance: true,
      disabled: true,
      stripeCustomerId: true,
      autoRechargeEnabled: true,
      autoRechargeThreshold: true,
      autoRechargeAmount: true,
      autoRechargePaymentMethodId: true,
    },
  });
  if (!user || user.disabled) return skipped("no_user");
  const { autoRechargeThreshold: threshold, autoRechargeAmount: wanted, autoRechargePaymentMethodId: paymentMethod } = user;
  if (!user.autoRechargeEnabled || threshold === null || !wanted || wanted <= 0n || !paymentMethod) return skipped("not_enabled");
  if (!user.stripeCustomerId) return skipped("no_customer");
  if (user.balance >= threshold) return skipped("above_threshold");

  const pending = await db.payment.findFirst({ where: { userId, autoRecharge: true, status: PaymentStatus.PENDING }, orderBy: { createdAt: "desc" } });
  if (pending) {
    if (Date.now() - pending.createdAt.getTime() > STALE_PENDING_MS) await reconcile(db, pending);
    return skipped("pending");
  }

  const amount = (wanted / MICROS_PER_CENT) * MICROS_PER_CENT; // Stripe charges whole cents
  const { max } = topupLimits();
  if (amount < STRIPE_MIN_MICROS || amount > max) {
    const reason = `The amount must be between ${displayUsd(STRIPE_MIN_MICROS)} and ${displayUsd(max)}.`;
    await recordFailedAttempt(db, userId, amount, reason);
    return { status: "failed", reason };
  }

  const metadata = { userId, autoRecharge: "1", amountMicros: amount.toString() };
  const idempotencyKey = `autorecharge:${userId}:${lastTopup?.id ?? "none"}:${attempts}`;
  let intent: Stripe.PaymentIntent;
  try {
    intent = await getStripe().paymentIntents.create(
      {
        amount: microsToCents(amount),
        currency: "usd",
        customer: user.stripeCustomerId,
        payment_method: paymentMethod,
        off_session: true,
        confirm: true,
        description: "RootAPI auto-recharge",
        metadata,
      },
      { idempotencyKey },
    );
  } catch (error) {
    return stripeFailure(db, userId, amount, error);
  }

  try {
    await db.payment.create({
      data: { userId, paymentIntentId: intent.id, amount, currency: "usd", autoRecharge: true, status: PaymentStatus.PENDING },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // recorded already (another instance, or its webhook was first)
  }
  // Off-session charges cannot ask the customer anything: anything but success/processing is a failure.
  if (intent.status === "requires_payment_method" || intent.status === "requires_action" || intent.status === "canceled") {
    const fallback = intent.status === "requires_action" ? "Your bank asked to confirm this payment, which is not possible for automatic charges." : "The card was declined.";
    await failAutoRecharge(db, intent, fallback);
    return { status: "failed", reason: fallback };
  }
  return { status: "created", paymentIntentId: intent.id, intentStatus: intent.status };
}

/** A declined card (or a card that no longer exists): FAILED Payment, auto-recharge off with the reason. */
async function stripeFailure(db: Db, userId: string, amount: bigint, error: unknown): Promise<AutoRechargeResult> {
  // By the error's type name, not instanceof: the SDK's CJS and ESM builds may both be loaded (tsx + dynamic import).
  const type = (error as { type?: unknown }).type;
  const permanent = type === "StripeCardError" || type === "StripeInvalidRequestError";
  if (!permanent) {
    // Stripe unreachable, rate limited, or our own key refused: not the user's fault; try again later.
    state.backoff.set(userId, Date.now() + TRANSIENT_BACKOFF_MS);
    log.error({ event: "auto_recharge.stripe_unreachable", userId, err: error }, "Auto-recharge could not reach Stripe; retrying later");
    return { status: "failed", reason: (error as Error).message };
  }
  const stripeError = error as Stripe.errors.StripeError;
  const reason = stripeError.message || "The card was declined.";
  const intent = stripeError.payment_intent as Stripe.PaymentIntent | undefined;
  if (intent?.id && intent.metadata?.autoRecharge === "1") {
    // Same path as the payment_intent.payment_failed webhook, so whichever comes first does it once.
    await failAutoRecharge(db, { ...intent, last_payment_error: intent.last_payment_error ?? ({ message: reason } as Stripe.PaymentIntent.LastPaymentError) }, reason);
  } else {
    await recordFailedAttempt(db, userId, amount, reason);
  }
  return { status: "failed", reason };
}

/** An attempt that never became a PaymentIntent: a FAILED Payment (it also starts a new idempotency key) and auto-recharge off. */
async function recordFailedAttempt(db: Db, userId: string, amount: bigint, reason: string): Promise<void> {
  await db.payment.create({ data: { userId, amount, currency: "usd", autoRecharge: true, status: PaymentStatus.FAILED, failureReason: reason } });
  await disableAutoRecharge(db, userId, autoRechargeFailureMessage(amount, reason));
}

/** A PENDING auto-recharge whose webhook never came: ask Stripe and apply the answer the webhook would have. */
async function reconcile(db: Db, payment: Payment): Promise<void> {
  if (!payment.paymentIntentId) return;
  try {
    const intent = await getStripe().paymentIntents.retrieve(payment.paymentIntentId);
    if (intent.status === "succeeded") await creditAutoRecharge(db, intent);
    else if (intent.status === "requires_payment_method" || intent.status === "canceled") await failAutoRecharge(db, intent);
  } catch (error) {
    log.error({ event: "auto_recharge.check_failed", paymentIntentId: payment.paymentIntentId, err: error }, "Checking an auto-recharge at Stripe failed");
  }
}

/**
 * Called by the settlement queue after a batch commits, for the users whose new balance fell below
 * their auto-recharge threshold. Fire-and-forget: never throws, never delays settlement.
 */
export function triggerAutoRecharge(db: Db, userIds: Iterable<string>): void {
  for (const userId of userIds) {
    maybeAutoRecharge(db, userId).catch((error: unknown) => log.error({ event: "auto_recharge.failed", userId, err: error }, "Auto-recharge failed"));
  }
}
