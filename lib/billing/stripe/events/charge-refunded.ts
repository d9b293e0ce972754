import { bookChargeRefund } from "../fulfill";
import type { EventHandler } from "./types";

/** A (partial or full) refund: books the newly refunded amount as a negative REFUND entry. */
export const chargeRefunded: EventHandler<"charge.refunded"> = (db, event) => bookChargeRefund(db, event.data.object);
