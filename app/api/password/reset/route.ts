import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { resetPasswordWithToken } from "@/lib/users/passwords";

/** Sets a new password from a reset link; every session of the account ends. */
export const POST = portalRoute(async (request) => {
  const body = await readJsonBody<{ token?: unknown; password?: unknown }>(request);
  await resetPasswordWithToken(getDb(), body.token, body.password);
  return jsonResponse({ ok: true });
});
