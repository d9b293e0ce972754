import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { apiMessage, notFound } from "@/lib/errors";
import { refreshCheckoutPayment } from "@/lib/billing/stripe/fulfill";
import { paymentView } from "@/lib/billing/stripe/payments";

/** GET → the signed-in user's payment for a Checkout session (the success page polls this). */
export const GET = portalRoute<{ params: Promise<{ sessionId: string }> }>(async (_request, { params }) => {
  const user = await requireUser();
  const { sessionId } = await params;
  const db = getDb();
  const payment = await db.payment.findUnique({ where: { checkoutSessionId: sessionId } });
  if (!payment || payment.userId !== user.id) throw notFound("Payment", apiMessage("paymentNotFound"));
  return jsonResponse(paymentView(await refreshCheckoutPayment(db, payment)));
});
