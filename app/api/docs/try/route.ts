import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { v1Headers } from "@/lib/docs/request-headers";
import { RELAYED_HEADERS, parseTryTarget } from "@/lib/docs/try-target";
import { UserError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { gatewayOrigin } from "@/lib/playground/gateway-url";
import { getPlaygroundKey } from "@/lib/playground/playground-key";

export const dynamic = "force-dynamic";

/**
 * The docs' "Try it" with the user's Playground key: the request is sent to our own /v1 exactly as
 * written (billed and logged like any call, authenticated the way that endpoint's clients do) and its answer relayed unchanged — status, body (streams
 * chunk by chunk) and x-request-id. The key stays on the server, sealed as the playground keeps it.
 */
export const POST = portalRoute(
  async (request) => {
    const user = await requireUser();
    const t = await getTranslations("docs");
    let raw: unknown;
    try {
      // The portal's guarded reader: size and shape are checked before anything is parsed.
      raw = await readJsonBody(request);
    } catch (error) {
      if (error instanceof UserError && error.code === "invalid_json") throw new UserError(t("tryIt.errors.invalidJson"), 400, "invalid_body", "body");
      throw error;
    }
    const target = parseTryTarget(raw, { invalidTarget: t("tryIt.errors.invalidTarget"), bodyNotObject: t("tryIt.errors.bodyNotObject") });
    const [apiKey, origin] = await Promise.all([getPlaygroundKey(getDb(), user.id), gatewayOrigin()]);
    let upstream: Response;
    try {
      upstream = await fetch(`${origin}${target.path}`, {
        method: target.method,
        headers: v1Headers(target.path, apiKey, target.body !== undefined),
        body: target.body ? JSON.stringify(target.body) : undefined,
        signal: request.signal,
      });
    } catch (error) {
      // The browser went away (Stop): nobody reads this answer.
      if (request.signal.aborted) return new Response(null, { status: 499 });
      console.error("Docs try-it could not reach /v1:", error);
      throw new UserError(t("tryIt.errors.unreachable"), 502, "gateway_unreachable");
    }
    const headers = new Headers({ "cache-control": "no-store" });
    for (const name of RELAYED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) headers.set(name, value);
    }
    return new Response(upstream.body, { status: upstream.status, headers });
  },
);
