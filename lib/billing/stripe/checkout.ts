import type Stripe from "stripe";
import type { Db } from "../../db/client";
import { PaymentStatus } from "../../db/client";
import { UserError, apiMessage } from "../../errors";
import { displayUsd, parseUsd } from "../../money";
import { getStripe, MICROS_PER_CENT, microsToCents, stripeConfigured, topupLimits } from "./client";
import { logger } from "../../observability/log";

const log = logger("stripe");

export const TOPUP_PRODUCT_NAME = "RootAPI balance top-up";

/** Thrown (503) when a card payment is asked for but STRIPE_SECRET_KEY is not set. */
export function stripeNotConfiguredError(): UserError {
  return new UserError(
    "Card payments are not available on this server: the administrator has not configured Stripe (STRIPE_SECRET_KEY).",
    503,
    "stripe_not_configured",
    undefined,
    apiMessage("stripeNotConfigured"),
  );
}

/** "25" / "12.50" → micro-dollars; anything else is a 400 on field "amount". */
export function parseTopUpAmount(input: unknown): bigint {
  if (typeof input !== "string" && typeof input !== "number") {
    throw new UserError('Send the amount in dollars as a string, e.g. "25"', 400, "invalid_amount", "amount", apiMessage("amountInvalid"));
  }
  try {
    return parseUsd(String(input));
  } catch (error) {
    throw UserError.on(error, "amount", "invalid_amount");
  }
}

/** Whole cents, within TOPUP_MIN_USD..TOPUP_MAX_USD. */
export function validateTopUpAmount(amountMicros: bigint): void {
  const { min, max } = topupLimits();
  if (amountMicros % MICROS_PER_CENT !== 0n) {
    throw new UserError("Top-ups are charged in whole cents (at most 2 decimals)", 400, "invalid_amount", "amount", apiMessage("wholeCents"));
  }
  if (amountMicros < min || amountMicros > max) {
    throw new UserError(`Top-ups must be between ${displayUsd(min)} and ${displayUsd(max)}`, 400, "amount_out_of_range", "amount", apiMessage("amountOutOfRange", { min: displayUsd(min), max: displayUsd(max) }));
  }
}

/**
 * The user's Stripe Customer, created on first use. The Stripe idempotency key makes two concurrent
 * first top-ups (two tabs, two instances) get the same customer; the conditional update keeps the
 * first id stored.
 */
export async function ensureStripeCustomer(db: Db, user: { id: string; email: string }): Promise<string> {
  const current = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { stripeCustomerId: true, email: true, name: true } });
  if (current.stripeCustomerId) return current.stripeCustomerId;
  const customer = await getStripe().customers.create(
    { email: current.email, ...(current.name ? { name: current.name } : {}), metadata: { userId: user.id } },
    { idempotencyKey: `rootapi-customer:${user.id}` },
  );
  await db.user.updateMany({ where: { id: user.id, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { stripeCustomerId: true } });
  return stored.stripeCustomerId ?? customer.id;
}

export interface TopUpCheckoutOptions {
  /** The portal's public origin, e.g. https://api.example.com (success/cancel pages live there). */
  origin: string;
  /** Keep the card on the Stripe customer for auto-recharge (setup_future_usage: off_session). */
  saveCard?: boolean;
}

export interface TopUpCheckout {
  url: string;
  sessionId: string;
}

/**
 * Starts a Stripe Checkout for a balance top-up and records its PENDING Payment. Nothing is credited
 * here: the balance moves when Stripe reports the payment (webhook, or the success page's poll).
 */
export async function createTopUpCheckout(
  db: Db,
  user: { id: string; email: string },
  amountMicros: bigint,
  options: TopUpCheckoutOptions,
): Promise<TopUpCheckout> {
  if (!stripeConfigured()) throw stripeNotConfiguredError();
  validateTopUpAmount(amountMicros);
  try {
    return await startCheckout(db, user, amountMicros, options);
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    if (typeof type !== "string" || !type.startsWith("Stripe")) throw error;
    log.error({ event: "checkout.start_failed", userId: user.id, err: error }, "Starting a Stripe checkout failed");
    throw new UserError("The payment provider could not start the checkout. Please try again in a moment.", 502, "stripe_error", undefined, apiMessage("stripeError"));
  }
}

async function startCheckout(db: Db, user: { id: string; email: string }, amountMicros: bigint, options: TopUpCheckoutOptions): Promise<TopUpCheckout> {
  const customer = await ensureStripeCustomer(db, user);
  const origin = options.origin.replace(/\/+$/, "");
  const metadata = { userId: user.id, amountMicros: amountMicros.toString() };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: "payment",
    customer,
    client_reference_id: user.id,
    currency: "usd",
    line_items: [
      {
        quantity: 1,
        price_data: { currency: "usd", unit_amount: microsToCents(amountMicros), product_data: { name: TOPUP_PRODUCT_NAME } },
      },
    ],
    metadata,
    payment_intent_data: {
      metadata,
      ...(options.saveCard ? { setup_future_usage: "off_session" as const } : {}),
    },
    success_url: `${origin}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${origin}/billing?canceled=1`,
  };
  const session = await getStripe().checkout.sessions.create(params);
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  await db.payment.create({
    data: { userId: user.id, checkoutSessionId: session.id, amount: amountMicros, currency: "usd", status: PaymentStatus.PENDING },
  });
  return { url: session.url, sessionId: session.id };
}
