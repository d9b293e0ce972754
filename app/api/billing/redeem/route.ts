import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { redeemCode } from "@/lib/billing/redemption";

export const POST = portalRoute(async (request) => {
  const user = await requireUser();
  const body = await readJsonBody<{ code?: unknown }>(request);
  return jsonResponse(await redeemCode(getDb(), user.id, String(body.code ?? "")));
});
