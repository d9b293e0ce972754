import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { createUser } from "@/lib/users/users";

export const POST = portalRoute(async (request) => {
  const body = await readJsonBody<{ email?: unknown; password?: unknown; name?: unknown }>(request);
  const user = await createUser(getDb(), {
    email: String(body.email ?? ""),
    password: String(body.password ?? ""),
    name: typeof body.name === "string" ? body.name : null,
  });
  return jsonResponse({ id: user.id, email: user.email, role: user.role }, 201);
});
