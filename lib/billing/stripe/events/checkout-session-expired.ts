import { expireCheckoutSession } from "../fulfill";
import type { EventHandler } from "./types";

/** The checkout page expired unpaid: the PENDING Payment becomes EXPIRED. */
export const checkoutSessionExpired: EventHandler<"checkout.session.expired"> = (db, event) => expireCheckoutSession(db, event.data.object);
