import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { publicOrigin } from "@/lib/http/base-url";
import { requireUser } from "@/lib/auth/session";
import { UserError, apiMessage } from "@/lib/errors";
import { stripeConfigured } from "@/lib/billing/stripe/client";
import { createTopUpCheckout, parseTopUpAmount, stripeNotConfiguredError } from "@/lib/billing/stripe/checkout";

/** POST {amountUsd: "25", saveCard?: boolean} → {url, sessionId}: send the browser to url (Stripe Checkout). */
export const POST = portalRoute(async (request) => {
  const user = await requireUser();
  if (!stripeConfigured()) throw stripeNotConfiguredError();
  const body = await readJsonBody<{ amountUsd?: unknown; saveCard?: unknown }>(request);
  if (body.saveCard !== undefined && typeof body.saveCard !== "boolean") {
    throw new UserError("saveCard must be true or false", 400, "invalid_request", "saveCard", apiMessage("fieldFlag", { field: "saveCard" }));
  }
  const amount = parseTopUpAmount(body.amountUsd);
  const checkout = await createTopUpCheckout(getDb(), user, amount, { origin: await publicOrigin(), saveCard: body.saveCard === true });
  return jsonResponse(checkout);
});
