import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { revokeApiKey } from "@/lib/keys/keys";

/** Revoking is the only way a key ends: rows stay so its requests keep their history. */
export const DELETE = portalRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const user = await requireUser();
  const { id } = await params;
  await revokeApiKey(getDb(), user.id, id);
  return jsonResponse({ id, revoked: true });
});
