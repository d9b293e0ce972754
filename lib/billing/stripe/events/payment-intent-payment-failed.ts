import { failAutoRecharge } from "../fulfill";
import type { EventHandler } from "./types";

/** An auto-recharge was declined: Payment FAILED, auto-recharge turned off with a message for the portal. */
export const paymentIntentPaymentFailed: EventHandler<"payment_intent.payment_failed"> = (db, event) => failAutoRecharge(db, event.data.object);
