import { getDb } from "@/lib/db/client";
import { requireUser } from "@/lib/auth/session";
import { getCatalog } from "@/lib/gateway/catalog";
import { readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { runPlaygroundTurn } from "@/lib/playground/chat";
import { gatewayOrigin } from "@/lib/playground/gateway-url";
import { getPlaygroundKey } from "@/lib/playground/playground-key";
import { parsePlaygroundRequest } from "@/lib/playground/request";

export const dynamic = "force-dynamic";

/**
 * One playground turn (useChat's transport posts here): sent to our own /v1 API with the user's
 * playground key, so it is billed and logged like any other call; answered with the AI SDK's UI
 * message stream (tokens and cost in the message metadata), or a JSON error such as a 402.
 */
export const POST = portalRoute(async (request) => {
  const user = await requireUser();
  const { settings, messages } = parsePlaygroundRequest(await readJsonBody(request));
  const db = getDb();
  const [apiKey, origin, catalog] = await Promise.all([getPlaygroundKey(db, user.id), gatewayOrigin(), getCatalog(db)]);
  return runPlaygroundTurn({
    apiKey,
    baseUrl: `${origin}/v1`,
    settings,
    messages,
    price: catalog.prices.get(settings.model) ?? null,
    signal: request.signal,
  });
});
