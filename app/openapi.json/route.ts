import { openApiDocument } from "@/lib/openapi/document";
import { publicOrigin } from "@/lib/http/base-url";

/** GET /openapi.json — the /v1 API described from the schemas that validate it. */
export async function GET() {
  return Response.json(openApiDocument(await publicOrigin()), { headers: { "access-control-allow-origin": "*" } });
}
