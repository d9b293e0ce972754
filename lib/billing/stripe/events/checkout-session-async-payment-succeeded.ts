import { fulfillCheckoutSession } from "../fulfill";
import type { EventHandler } from "./types";

/** A delayed payment (bank debit…) cleared: credit, with the same key as completed+paid, so once. */
export const checkoutSessionAsyncPaymentSucceeded: EventHandler<"checkout.session.async_payment_succeeded"> = (db, event) =>
  fulfillCheckoutSession(db, event.data.object);
