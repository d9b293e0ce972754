import { fulfillCheckoutSession } from "../fulfill";
import type { EventHandler } from "./types";

/** The customer finished Checkout. Paid → credit; "unpaid" (delayed methods) → stays PENDING until async_payment_*. */
export const checkoutSessionCompleted: EventHandler<"checkout.session.completed"> = (db, event) => fulfillCheckoutSession(db, event.data.object);
