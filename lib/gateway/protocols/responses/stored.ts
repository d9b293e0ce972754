import { authenticate } from "../../pipeline/authenticate";
import { failureResponse } from "../openai-errors";
import { getGateway, type Gateway } from "../../context";
import { invalidRequest, notFound } from "../../pipeline/errors";
import { gatewayJson, type GatewayRequest, type GatewayResponse } from "../../http/types";

/** GET and DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items: the turns we stored. */
async function ownedResponse(req: GatewayRequest, gw: Gateway, id: string) {
  const caller = await authenticate(gw.store(), req.header("authorization"));
  const row = await gw.store().findStoredTurn(caller.userId, id);
  if (!row) throw notFound(`Response with id '${id}' not found.`);
  return { caller, row };
}

export async function retrieveResponse(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const { row } = await ownedResponse(req, gw, id);
    return gatewayJson(200, row.response);
  } catch (error) {
    return failureResponse(error);
  }
}

export async function deleteResponse(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const caller = await authenticate(gw.store(), req.header("authorization"));
    if (!(await gw.store().deleteStoredTurn(caller.userId, id))) throw notFound(`Response with id '${id}' not found.`);
    return gatewayJson(200, { id, object: "response", deleted: true });
  } catch (error) {
    return failureResponse(error);
  }
}

export async function listInputItems(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const { row } = await ownedResponse(req, gw, id);
    const limitParam = req.query.get("limit");
    const limit = limitParam === null ? 20 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest("limit must be between 1 and 100", "limit");
    const order = req.query.get("order") ?? "desc";
    if (order !== "asc" && order !== "desc") throw invalidRequest("order must be 'asc' or 'desc'", "order");
    const all = (Array.isArray(row.input) ? (row.input as Array<{ id?: string }>) : []).slice();
    if (order === "desc") all.reverse();
    const after = req.query.get("after");
    const start = after ? all.findIndex((item) => item.id === after) + 1 : 0;
    if (after && start === 0) throw invalidRequest(`No input item with id '${after}' in this response.`, "after");
    const data = all.slice(start, start + limit);
    return gatewayJson(200, { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < all.length });
  } catch (error) {
    return failureResponse(error);
  }
}

