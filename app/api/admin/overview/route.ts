import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { systemOverview } from "@/lib/admin/overview";

/** GET → the system overview: request rates, error rates by channel and top models (24 h), recent top-ups, counts. */
export const GET = portalRoute(async () => {
  await requireAdmin();
  return jsonResponse(await systemOverview(getDb()));
});
