import { getTranslations } from "next-intl/server";
import { UserError, apiMessage, renderErrorMessage, type ErrorTranslator } from "../errors";
import { errorResponse } from "./json";
import { logger } from "../observability/log";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a portal API route: rejects cross-site writes (cookies authenticate these routes) and turns
 * thrown errors into readable JSON errors. A UserError that names its catalog message (`localized`)
 * is said in the request's language (NEXT_LOCALE cookie, then Accept-Language); its status, code and
 * field stay. Anything else is logged and answered with a generic 500.
 */
export function portalRoute<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
      return await handler(request, context);
    } catch (error) {
      return errorResponse(await localizeError(error));
    }
  };
}

/** The error to answer with: a UserError in the request's language (unchanged when it names no message). */
export async function localizeError(error: unknown): Promise<unknown> {
  if (!(error instanceof UserError)) {
    logger("portal").error({ event: "portal.unhandled_error", err: error }, "Unhandled error in portal API");
    error = new UserError("Something went wrong on our side. Please try again.", 500, "internal_error", undefined, apiMessage("internal"));
  }
  const { message, status, code, field, localized } = error as UserError;
  if (!localized) return error;
  try {
    const t = (await getTranslations("errors.api")) as unknown as ErrorTranslator;
    return new UserError(renderErrorMessage(localized, t), status, code, field, localized);
  } catch (failure) {
    logger("portal").error({ event: "portal.translation_failed", message, err: failure }, "Could not translate a portal error");
    return error; // outside a request (scripts, tests) or a broken catalog entry: the English message
  }
}

export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) return; // Non-browser clients send no Origin; browsers always do on cross-site writes.
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  // "null" (sandboxed frames, file: pages, some redirects) and malformed values name no origin of ours.
  const from = originHost(origin);
  if (from === null || from !== host) throw new UserError("Cross-site request refused", 403, "cross_site", undefined, apiMessage("crossSite"));
}

function originHost(origin: string): string | null {
  if (!/^https?:\/\//i.test(origin)) return null;
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
