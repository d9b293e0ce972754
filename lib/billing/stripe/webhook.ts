import Stripe from "stripe";
import type { Db } from "../../db/client";
import { stripeWebhookSecret } from "./client";
import { dispatchStripeEvent } from "./events";
import { PaymentMismatchError, RetryLaterError } from "./payments";
import { logger } from "../../observability/log";

const log = logger("stripe");

export interface WebhookResult {
  status: number;
  body: unknown;
}

/**
 * POST /api/stripe/webhook: verifies the Stripe-Signature of the raw body, then runs the event's
 * handler. 400 = not from Stripe (nothing changed); 200 = handled or deliberately ignored; 5xx = could
 * not process it now, so Stripe redelivers (every handler is idempotent).
 */
export async function handleStripeWebhook(db: Db, rawBody: string, signature: string | null): Promise<WebhookResult> {
  const secret = stripeWebhookSecret();
  if (!secret) {
    log.error({ event: "webhook.unconfigured" }, "A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set; it cannot be verified");
    return { status: 503, body: { error: { code: "stripe_webhook_not_configured", message: "Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET)." } } };
  }
  if (!signature) return { status: 400, body: { error: { code: "missing_signature", message: "Missing Stripe-Signature header" } } };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    return { status: 400, body: { error: { code: "invalid_signature", message: `Webhook signature verification failed: ${(error as Error).message}` } } };
  }
  try {
    const outcome = await dispatchStripeEvent(db, event);
    return { status: 200, body: { received: true, id: event.id, type: event.type, outcome } };
  } catch (error) {
    if (error instanceof RetryLaterError) {
      log.warn({ event: "webhook.deferred", stripeEvent: event.id, type: event.type, reason: error.message }, "Stripe event deferred");
      return { status: 503, body: { error: { code: "retry_later", message: error.message } } };
    }
    if (error instanceof PaymentMismatchError) {
      return { status: 500, body: { error: { code: "payment_mismatch", message: error.message } } };
    }
    log.error({ event: "webhook.failed", stripeEvent: event.id, type: event.type, err: error }, "Processing a Stripe event failed; Stripe will redeliver it");
    return { status: 500, body: { error: { code: "webhook_failed", message: "Processing the event failed; it will be retried." } } };
  }
}
