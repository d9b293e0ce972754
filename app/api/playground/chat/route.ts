import { getTranslations } from "next-intl/server";
import { getDb } from "@/lib/db/client";
import { requireUser } from "@/lib/auth/session";
import { getCatalog } from "@/lib/gateway/routing/catalog";
import { getHotStore } from "@/lib/gateway/store";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { runPlaygroundTurn } from "@/lib/playground/chat";
import { localizeFailureBody, type FailureTexts } from "@/lib/playground/errors";
import { gatewayOrigin } from "@/lib/playground/gateway-url";
import { getPlaygroundKey } from "@/lib/playground/playground-key";
import { parsePlaygroundRequest } from "@/lib/playground/request";
import type { PlaygroundErrorBody } from "@/lib/playground/types";

export const dynamic = "force-dynamic";

type Translate = Awaited<ReturnType<typeof getTranslations<"playground.api">>>;

/** The playground's own error messages (insufficient balance, unreachable API…) in the request's language. */
async function localizeFailure(response: Response, t: Translate): Promise<Response> {
  if (response.status < 400 || !response.headers.get("content-type")?.includes("application/json")) return response;
  const texts: FailureTexts = {
    insufficient: (detail) => t("insufficient", { detail }),
    unreachable: t("unreachable"),
    stopped: t("stopped"),
  };
  return jsonResponse(localizeFailureBody((await response.json()) as PlaygroundErrorBody, texts), response.status);
}

/**
 * One playground turn (useChat's transport posts here): sent to our own /v1 API with the user's
 * playground key, so it is billed and logged like any other call; answered with the AI SDK's UI
 * message stream (tokens and cost in the message metadata), or a JSON error such as a 402.
 */
export const POST = portalRoute(async (request) => {
  const user = await requireUser();
  const t = await getTranslations("playground.api");
  const { settings, messages } = parsePlaygroundRequest(await readJsonBody(request));
  const db = getDb();
  const [apiKey, origin, catalog] = await Promise.all([getPlaygroundKey(db, user.id), gatewayOrigin(), getCatalog(getHotStore())]);
  const response = await runPlaygroundTurn({
    apiKey,
    baseUrl: `${origin}/v1`,
    settings,
    messages,
    price: catalog.prices.get(settings.model) ?? null,
    signal: request.signal,
  });
  return localizeFailure(response, t);
});
