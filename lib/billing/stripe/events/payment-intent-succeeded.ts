import { creditAutoRecharge } from "../fulfill";
import type { EventHandler } from "./types";

/** An auto-recharge went through: credit it (Checkout's own PaymentIntents are handled by checkout.session.*). */
export const paymentIntentSucceeded: EventHandler<"payment_intent.succeeded"> = (db, event) => creditAutoRecharge(db, event.data.object);
