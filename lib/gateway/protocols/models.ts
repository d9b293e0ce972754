import { authenticate } from "../pipeline/authenticate";
import { failureResponse } from "./openai-errors";
import { getCatalog, type Catalog } from "../routing/catalog";
import { getGateway, type Gateway } from "../context";
import { modelNotFound } from "../pipeline/errors";
import { gatewayJson, type GatewayRequest, type GatewayResponse } from "../http/types";
import { modelsFor } from "../pipeline/steps";

/** GET /v1/models and GET /v1/models/{id}: the models this key may call, in OpenAI's list shape. */
function modelObject(catalog: Catalog, id: string) {
  const channel = catalog.channelsByModel.get(id)?.[0];
  return {
    id,
    object: "model",
    created: Math.floor((catalog.createdAt.get(id) ?? 0) / 1000),
    owned_by: channel?.type === "sandbox" ? "rootapi-sandbox" : "rootapi",
  };
}

export async function listModels(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const caller = await authenticate(gw.store(), req.header("authorization"));
    const catalog = await getCatalog(gw.store());
    return gatewayJson(200, { object: "list", data: modelsFor(caller, catalog).map((id) => modelObject(catalog, id)) });
  } catch (error) {
    return failureResponse(error);
  }
}

export async function retrieveModel(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const caller = await authenticate(gw.store(), req.header("authorization"));
    const catalog = await getCatalog(gw.store());
    const models = modelsFor(caller, catalog);
    if (!models.includes(id)) throw modelNotFound(id, models);
    return gatewayJson(200, modelObject(catalog, id));
  } catch (error) {
    return failureResponse(error);
  }
}
