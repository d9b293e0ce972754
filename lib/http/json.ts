import { UserError, apiMessage } from "../errors";

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
  console.error("Unhandled error in portal API:", error);
  return jsonResponse({ error: { message: "Something went wrong on our side. Please try again.", code: "internal_error", field: null } }, 500);
}

/** Parses a JSON request body or explains why it could not. */
export async function readJsonBody<T = Record<string, unknown>>(request: Request): Promise<T> {
  if (!request.headers.get("content-type")?.includes("application/json")) {
    throw new UserError("Send the body as application/json", 415, "unsupported_media_type", undefined, apiMessage("unsupportedMediaType"));
  }
  try {
    const body = await request.json();
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
    return body as T;
  } catch {
    throw new UserError("The request body is not a JSON object", 400, "invalid_json", undefined, apiMessage("invalidJson"));
  }
}
