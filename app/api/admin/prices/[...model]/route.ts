import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { deleteModelPrice, updateModelPrice } from "@/lib/prices/prices";
import { parsePriceBody, type PriceBody } from "@/lib/admin/prices";
import { toPriceRow } from "@/lib/admin/price-rows";
import { invalidateCatalog } from "@/lib/gateway/routing/catalog";

// A catch-all: model ids may contain slashes ("meta-llama/Llama-3-8B"); each segment is URL-encoded.
type Context = { params: Promise<{ model: string[] }> };
const modelOf = async (params: Context["params"]) => (await params).model.join("/");

/** PATCH {inputUsd, outputUsd, cachedInputUsd?, cacheWriteUsd?, cacheWrite1hUsd?, visible?, description?} → {data} */
export const PATCH = portalRoute<Context>(async (request, { params }) => {
  await requireAdmin();
  const body = await readJsonBody<PriceBody>(request);
  const price = await updateModelPrice(getDb(), parsePriceBody(body, await modelOf(params)));
  invalidateCatalog();
  return jsonResponse({ data: toPriceRow(price) });
});

/** DELETE → {model, deleted: true}; the model stops being callable. */
export const DELETE = portalRoute<Context>(async (_request, { params }) => {
  await requireAdmin();
  const model = await modelOf(params);
  await deleteModelPrice(getDb(), model);
  invalidateCatalog();
  return jsonResponse({ model, deleted: true });
});
