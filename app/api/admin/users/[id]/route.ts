import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { adminUserDetail, parseAccessChange, updateUserAccess } from "@/lib/admin/users";

type Context = { params: Promise<{ id: string }> };

/** GET → {user, ledger (last 50), activeKeys, usage: {from, totals, byModel} (last 30 days)} */
export const GET = portalRoute<Context>(async (_request, { params }) => {
  await requireAdmin();
  return jsonResponse(await adminUserDetail(getDb(), (await params).id));
});

/** PATCH {disabled?: boolean, role?: "USER" | "ADMIN"} → {data}; an admin cannot disable or demote themselves. */
export const PATCH = portalRoute<Context>(async (request, { params }) => {
  const admin = await requireAdmin();
  const change = parseAccessChange(await readJsonBody(request));
  return jsonResponse({ data: await updateUserAccess(getDb(), admin.id, (await params).id, change) });
});
