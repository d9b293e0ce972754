import type { IncomingMessage } from "node:http";

/**
 * Checks the server makes on a request's line and headers before handing it to Next.
 *
 * Body limits outside /v1 (the gateway has its own, ROOTAPI_MAX_BODY_MB). Portal forms and admin
 * changes are a few KB; the limit is far smaller than /v1's so that nobody without a key can make
 * the server buffer megabytes.
 */
const DEFAULT_PORTAL_MAX_BODY_KB = 1024;

export function portalMaxBodyBytes(): number {
  const raw = process.env.ROOTAPI_PORTAL_MAX_BODY_KB;
  const kb = raw ? Number(raw) : DEFAULT_PORTAL_MAX_BODY_KB;
  return (Number.isInteger(kb) && kb > 0 ? kb : DEFAULT_PORTAL_MAX_BODY_KB) * 1024;
}

export interface Refusal {
  status: 400 | 411 | 413;
  code: string;
  message: string;
}

/**
 * Decided from the headers alone, before Next reads anything: a declared length past the limit is a
 * 413; a body of unknown length (chunked) is a 411, since Next would read it whole before any route
 * could count it. Browsers always declare the length of what they send.
 */
export function portalBodyRefusal(req: Pick<IncomingMessage, "headers" | "method">, limit = portalMaxBodyBytes()): Refusal | null {
  const length = req.headers["content-length"];
  if (length !== undefined) {
    const declared = Number(length);
    if (!Number.isFinite(declared) || declared < 0) return { status: 413, code: "body_too_large", message: "Invalid Content-Length." };
    if (declared > limit) return { status: 413, code: "body_too_large", message: `The request body is larger than ${Math.round(limit / 1024)} KB.` };
    return null;
  }
  if (req.headers["transfer-encoding"] !== undefined) {
    return { status: 411, code: "length_required", message: "Send the request body with a Content-Length." };
  }
  return null;
}

/**
 * Whether a request path has percent-encoding that does not decode (`%`, `%zz`, a cut UTF-8
 * sequence). Next's router answers those with a 500 before any route runs; they are the client's
 * mistake, so the server refuses them first with a 400.
 */
export function hasMalformedPath(url: string): boolean {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/**
 * Why a request for Next (the portal; /v1 only when ROOTAPI_V1_VIA_NEXT routes it there, with its
 * own larger body limit) is refused before Next sees it, or null.
 */
export function refusalBeforeNext(req: Pick<IncomingMessage, "headers" | "method" | "url">): Refusal | null {
  const url = req.url ?? "/";
  if (hasMalformedPath(url)) return { status: 400, code: "invalid_url", message: "The URL's percent-encoding is malformed." };
  return url.startsWith("/v1/") ? null : portalBodyRefusal(req);
}
