import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { createApiKey } from "@/lib/keys/keys";
import { listKeyRows, toKeyRow } from "@/lib/keys/key-rows";
import { parseNewKey, type NewKeyBody } from "@/lib/keys/new-key-body";

export const GET = portalRoute(async () => {
  const user = await requireUser();
  // Every key, the playground's own one included: it is spent from and revocable like any other.
  return jsonResponse({ data: await listKeyRows(getDb(), user.id) });
});

export const POST = portalRoute(async (request) => {
  const user = await requireUser();
  const body = await readJsonBody<NewKeyBody>(request);
  const { key, record } = await createApiKey(getDb(), user.id, parseNewKey(body));
  return jsonResponse({ key, data: toKeyRow(record) }, 201);
});
