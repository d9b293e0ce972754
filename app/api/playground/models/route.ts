import { requireUser } from "@/lib/auth/session";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { playgroundModels } from "@/lib/playground/models";

export const dynamic = "force-dynamic";

/** The models the signed-in user can call from the playground, with prices per 1M tokens (micro-dollars). */
export const GET = portalRoute(async () => {
  await requireUser();
  return jsonResponse({ data: await playgroundModels() });
});
