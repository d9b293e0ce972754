import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { searchUsers } from "@/lib/admin/users";

/** GET ?q=<email contains>&page=<1…> → {data: AdminUserRow[], total, page, pageSize, pages} */
export const GET = portalRoute(async (request) => {
  await requireAdmin();
  const params = new URL(request.url).searchParams;
  const page = Number(params.get("page") ?? "1");
  return jsonResponse(await searchUsers(getDb(), { query: params.get("q"), page: Number.isInteger(page) ? page : 1 }));
});
