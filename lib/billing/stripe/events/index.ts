import type Stripe from "stripe";
import type { Db } from "../../../db/client";
import type { Outcome } from "../fulfill";
import { chargeRefunded } from "./charge-refunded";
import { checkoutSessionAsyncPaymentFailed } from "./checkout-session-async-payment-failed";
import { checkoutSessionAsyncPaymentSucceeded } from "./checkout-session-async-payment-succeeded";
import { checkoutSessionCompleted } from "./checkout-session-completed";
import { checkoutSessionExpired } from "./checkout-session-expired";
import { paymentIntentPaymentFailed } from "./payment-intent-payment-failed";
import { paymentIntentSucceeded } from "./payment-intent-succeeded";
import type { EventHandler } from "./types";

/** The events RootAPI acts on (enable exactly these on the webhook endpoint). Anything else is acknowledged and ignored. */
export const STRIPE_EVENT_HANDLERS = {
  "checkout.session.completed": checkoutSessionCompleted,
  "checkout.session.async_payment_succeeded": checkoutSessionAsyncPaymentSucceeded,
  "checkout.session.async_payment_failed": checkoutSessionAsyncPaymentFailed,
  "checkout.session.expired": checkoutSessionExpired,
  "charge.refunded": chargeRefunded,
  "payment_intent.succeeded": paymentIntentSucceeded,
  "payment_intent.payment_failed": paymentIntentPaymentFailed,
} satisfies { [T in Stripe.Event["type"]]?: EventHandler<T> };

export type HandledEventType = keyof typeof STRIPE_EVENT_HANDLERS;

export const HANDLED_EVENT_TYPES = Object.keys(STRIPE_EVENT_HANDLERS) as HandledEventType[];

/** Runs the handler for a verified event; "ignored" for types we do not handle. */
export async function dispatchStripeEvent(db: Db, event: Stripe.Event): Promise<Outcome> {
  const handler = (STRIPE_EVENT_HANDLERS as Partial<Record<string, EventHandler<Stripe.Event["type"]>>>)[event.type];
  if (!handler) return "ignored";
  return handler(db, event as never);
}
