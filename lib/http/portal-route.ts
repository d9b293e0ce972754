import { UserError } from "../errors";
import { errorResponse } from "./json";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a portal API route: rejects cross-site writes (cookies authenticate these routes) and turns
 * thrown errors into readable JSON errors.
 */
export function portalRoute<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) return; // Non-browser clients send no Origin; browsers always do on cross-site writes.
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (new URL(origin).host !== host) throw new UserError("Cross-site request refused", 403, "cross_site");
}
