import type Stripe from "stripe";
import type { Db } from "../../../db/client";
import type { Outcome } from "../fulfill";

/** A webhook event handler: gets the verified event, returns what it did. Throwing makes Stripe redeliver. */
export type EventHandler<T extends Stripe.Event["type"]> = (db: Db, event: Extract<Stripe.Event, { type: T }>) => Promise<Outcome>;
