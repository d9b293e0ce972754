import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { createUser, validateNewUser } from "@/lib/users/users";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { SignupLimiter } from "@/lib/auth/signup-limit";

const limiter = new SignupLimiter();

export const POST = portalRoute(async (request) => {
  const body = await readJsonBody<{ email?: unknown; password?: unknown; name?: unknown }>(request);
  // Input errors first (cheap, and not worth a throttle slot), then the throttle, then the hash.
  const input = validateNewUser(body);
  limiter.take(request.headers.get(CLIENT_IP_HEADER) ?? "unknown");
  const user = await createUser(getDb(), input);
  return jsonResponse({ id: user.id, email: user.email, role: user.role }, 201);
});
