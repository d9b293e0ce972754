import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { updateBillingSettings, type BillingSettingsInput } from "@/lib/billing/settings";

export const PUT = portalRoute(async (request) => {
  const user = await requireUser();
  const settings = await updateBillingSettings(getDb(), user.id, await readJsonBody<BillingSettingsInput>(request));
  return jsonResponse({ data: settings });
});
