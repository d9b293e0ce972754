import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { endAllPortalSessions } from "@/lib/auth/portal-sessions";

/** "Sign out everywhere": ends every session of the signed-in user, this one included. */
export const DELETE = portalRoute(async () => {
  const user = await requireUser();
  const ended = await endAllPortalSessions(getDb(), user.id);
  return jsonResponse({ ended });
});
