import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { verifyEmailWithToken } from "@/lib/users/email-verification";

/** Uses a verification link's token. A POST from the page's button, so mail scanners fetching the link verify nothing. */
export const POST = portalRoute(async (request) => {
  const body = await readJsonBody<{ token?: unknown }>(request);
  const user = await verifyEmailWithToken(getDb(), String(body.token ?? ""));
  return jsonResponse({ email: user.email, role: user.role });
});
