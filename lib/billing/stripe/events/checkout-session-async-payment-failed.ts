import { failCheckoutSession } from "../fulfill";
import type { EventHandler } from "./types";

/** A delayed payment failed: the Payment becomes FAILED with the reason; nothing is credited. */
export const checkoutSessionAsyncPaymentFailed: EventHandler<"checkout.session.async_payment_failed"> = (db, event) =>
  failCheckoutSession(db, event.data.object);
