import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { composeMail } from "@/lib/mail/compose";
import { startPasswordReset } from "@/lib/users/passwords";

/** Always the same answer, whether or not the address has an account. */
export const POST = portalRoute(async (request) => {
  const body = await readJsonBody<{ email?: unknown }>(request);
  startPasswordReset(getDb(), body.email, await composeMail("reset"));
  return jsonResponse({ ok: true }, 202);
});
