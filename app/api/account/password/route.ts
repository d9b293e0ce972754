import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireSession } from "@/lib/auth/session";
import { changePassword } from "@/lib/users/passwords";

/** Changes the signed-in user's password; their other sessions end, this one stays. */
export const POST = portalRoute(async (request) => {
  const { user, sid } = await requireSession();
  const body = await readJsonBody<{ currentPassword?: unknown; newPassword?: unknown }>(request);
  await changePassword(getDb(), user.id, body.currentPassword, body.newPassword, sid);
  return jsonResponse({ ok: true });
});
