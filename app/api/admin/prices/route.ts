import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { createModelPrice } from "@/lib/prices/prices";
import { parsePriceBody, pricesOverview, type PriceBody } from "@/lib/admin/prices";
import { toPriceRow } from "@/lib/admin/price-rows";
import { invalidateCatalog } from "@/lib/gateway/routing/catalog";

/** GET → {data: PriceRow[], unpriced: [{model, channels}]} — unpriced models cannot be called. */
export const GET = portalRoute(async () => {
  await requireAdmin();
  return jsonResponse(await pricesOverview(getDb()));
});

/** POST {model, inputUsd, outputUsd, cachedInputUsd?, cacheWriteUsd?, cacheWrite1hUsd?, visible?, description?} (USD per 1M tokens) → 201 {data}; 409 if priced. */
export const POST = portalRoute(async (request) => {
  await requireAdmin();
  const body = await readJsonBody<PriceBody>(request);
  const price = await createModelPrice(getDb(), parsePriceBody(body, typeof body.model === "string" ? body.model : ""));
  invalidateCatalog();
  return jsonResponse({ data: toPriceRow(price) }, 201);
});
