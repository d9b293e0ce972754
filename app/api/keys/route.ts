import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { createApiKey, listApiKeys } from "@/lib/keys/keys";
import { toKeyRow } from "@/lib/keys/key-rows";
import { UserError } from "@/lib/errors";

export const GET = portalRoute(async () => {
  const user = await requireUser();
  const keys = await listApiKeys(getDb(), user.id);
  return jsonResponse({ data: keys.map((key) => toKeyRow(key)) });
});

export const POST = portalRoute(async (request) => {
  const user = await requireUser();
  const body = await readJsonBody<{ name?: unknown; expiresAt?: unknown }>(request);
  if (body.expiresAt != null && typeof body.expiresAt !== "string") {
    throw new UserError("expiresAt must be an ISO date string", 400, "invalid_expiry", "expiresAt");
  }
  const { key, record } = await createApiKey(getDb(), user.id, {
    name: String(body.name ?? ""),
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
  });
  return jsonResponse({ key, data: toKeyRow(record) }, 201);
});
