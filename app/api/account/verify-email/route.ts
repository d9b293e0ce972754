import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { composeMail } from "@/lib/mail/compose";
import { sendVerificationMail } from "@/lib/users/email-verification";

/** Sends the signed-in user a new verification link. */
export const POST = portalRoute(async () => {
  const user = await requireUser();
  await sendVerificationMail(getDb(), user.id, await composeMail("verify"));
  return jsonResponse({ ok: true }, 202);
});
