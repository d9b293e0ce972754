import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { handleStripeWebhook } from "@/lib/billing/stripe/webhook";

// Stripe calls this; it is authenticated by the Stripe-Signature header over the exact raw body.
export async function POST(request: Request) {
  const raw = await request.text();
  const { status, body } = await handleStripeWebhook(getDb(), raw, request.headers.get("stripe-signature"));
  return jsonResponse(body, status);
}
