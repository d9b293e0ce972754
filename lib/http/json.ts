import { UserError, apiMessage } from "../errors";
import { jsonShapeProblem } from "./json-guard";
import { portalMaxBodyBytes } from "./request-guards";
import { readLimited } from "./read-limited";
import { logger } from "../observability/log";

/** JSON with bigint money as decimal strings (JSON numbers would lose precision past 2^53). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}

export function jsonResponse(value: unknown, status = 200, headers?: HeadersInit): Response {
  return new Response(toJson(value), { status, headers: { "content-type": "application/json", ...headers } });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof UserError) {
    return jsonResponse({ error: { message: error.message, code: error.code, field: error.field ?? null } }, error.status);
  }
  logger("portal").error({ event: "portal.unhandled_error", err: error }, "Unhandled error in portal API");
  return jsonResponse({ error: { message: "Something went wrong on our side. Please try again.", code: "internal_error", field: null } }, 500);
}

/**
 * Parses a JSON request body or explains why it could not. The size is checked again here (the
 * server refuses larger bodies before they reach Next; other hosts may not) and the shape before
 * parsing, so no body can stall the process in JSON.parse.
 */
export async function readJsonBody<T = Record<string, unknown>>(request: Request): Promise<T> {
  if (!request.headers.get("content-type")?.includes("application/json")) {
    throw new UserError("Send the body as application/json", 415, "unsupported_media_type", undefined, apiMessage("unsupportedMediaType"));
  }
  const limit = portalMaxBodyBytes();
  const kb = Math.round(limit / 1024);
  const bytes = await readLimited(request, limit, () => new UserError(`The request body is larger than ${kb} KB`, 413, "body_too_large", undefined, apiMessage("bodyTooLarge", { kb })));
  return parsePortalJson<T>(bytes);
}

/** A JSON object from bytes, refusing shapes that would stall the parser. */
export function parsePortalJson<T = Record<string, unknown>>(bytes: Uint8Array): T {
  const invalid = () => new UserError("The request body is not a JSON object", 400, "invalid_json", undefined, apiMessage("invalidJson"));
  if (jsonShapeProblem(bytes)) throw invalid();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    throw invalid();
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalid();
  return body as T;
}
