import { routeV1 } from "@/lib/gateway/http/router";
import { fromWebRequest, toWebResponse } from "@/lib/gateway/http/web-adapter";

/** Every /v1 endpoint; the custom server answers these before Next's router, this keeps them working anywhere. */
const handle = async (request: Request) => toWebResponse(await routeV1(fromWebRequest(request)));

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
export const HEAD = handle;
export const dynamic = "force-dynamic";
