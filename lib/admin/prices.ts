import type { Db } from "../db/client";
import { UserError, apiMessage, type ApiErrorKey } from "../errors";
import { parseUsd } from "../money";
import { listModelPrices, type PriceInput } from "../prices/prices";
import { servedModels } from "../channels/channels";
import { toPriceRow, type PriceRow, type UnpricedModel } from "./price-rows";

/** The price form's JSON body: USD per 1M tokens as decimal strings (numbers are accepted too). */
export interface PriceBody {
  model?: unknown;
  inputUsd?: unknown;
  outputUsd?: unknown;
  cachedInputUsd?: unknown;
  /** Prompt-cache writes (5-minute TTL); empty: the input price. */
  cacheWriteUsd?: unknown;
  /** Prompt-cache writes with a 1-hour TTL; empty: the cache-write price. */
  cacheWrite1hUsd?: unknown;
  visible?: unknown;
  description?: unknown;
}

/** Each price's label in the catalog: within a sentence, and starting one. */
const LABELS = {
  input: ["priceLabelInput", "priceLabelStartInput"],
  output: ["priceLabelOutput", "priceLabelStartOutput"],
  "cached input": ["priceLabelCached", "priceLabelStartCached"],
  "cache write": ["priceLabelCacheWrite", "priceLabelStartCacheWrite"],
  "1-hour cache write": ["priceLabelCacheWrite1h", "priceLabelStartCacheWrite1h"],
} as const satisfies Record<string, readonly [ApiErrorKey, ApiErrorKey]>;

function usd(value: unknown, field: string, label: keyof typeof LABELS): bigint {
  const [labelKey, startKey] = LABELS[label];
  if ((typeof value !== "string" && typeof value !== "number") || String(value).trim() === "") {
    throw new UserError(`Enter the ${label} price in USD per 1M tokens`, 400, "invalid_price", field, apiMessage("priceRequired", { label: apiMessage(labelKey) }));
  }
  let micros: bigint;
  try {
    micros = parseUsd(String(value));
  } catch (error) {
    const reason = error instanceof UserError ? error.localized : undefined;
    throw new UserError(
      `${label[0]!.toUpperCase()}${label.slice(1)} price: ${(error as Error).message}`,
      400,
      "invalid_price",
      field,
      reason && apiMessage("priceInvalid", { label: apiMessage(startKey), reason }),
    );
  }
  if (micros < 0n) throw new UserError(`The ${label} price cannot be negative`, 400, "invalid_price", field, apiMessage("priceNegative", { label: apiMessage(labelKey) }));
  return micros;
}

/** An optional price: missing, null or "" means none (the rate falls back). */
function optionalUsd(value: unknown, field: string, label: keyof typeof LABELS): bigint | null {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "") ? null : usd(value, field, label);
}

export function parsePriceBody(body: PriceBody, model: string): PriceInput {
  if (body.visible !== undefined && typeof body.visible !== "boolean") throw new UserError("visible must be true or false", 400, "invalid_visible", "visible", apiMessage("fieldFlag", { field: "visible" }));
  if (body.description !== undefined && body.description !== null && typeof body.description !== "string") {
    throw new UserError("description must be text", 400, "invalid_description", "description", apiMessage("fieldText", { field: "description" }));
  }
  return {
    model,
    inputPrice: usd(body.inputUsd, "inputUsd", "input"),
    outputPrice: usd(body.outputUsd, "outputUsd", "output"),
    cachedInputPrice: optionalUsd(body.cachedInputUsd, "cachedInputUsd", "cached input"),
    cacheWritePrice: optionalUsd(body.cacheWriteUsd, "cacheWriteUsd", "cache write"),
    cacheWrite1hPrice: optionalUsd(body.cacheWrite1hUsd, "cacheWrite1hUsd", "1-hour cache write"),
    visible: body.visible as boolean | undefined,
    description: body.description as string | null | undefined,
  };
}

/** Models some channel serves that have no price: the gateway answers 404 for them until priced. */
export async function unpricedModels(db: Db): Promise<UnpricedModel[]> {
  return (await pricesOverview(db)).unpriced;
}

/** Every price (with the channels serving its model) and the served models that have none. */
export async function pricesOverview(db: Db): Promise<{ data: PriceRow[]; unpriced: UnpricedModel[] }> {
  const [served, prices] = await Promise.all([servedModels(db), listModelPrices(db)]);
  const priced = new Set(prices.map((p) => p.model));
  return {
    data: prices.map((p) => ({ ...toPriceRow(p), channels: served.get(p.model) ?? [] })),
    unpriced: [...served]
      .filter(([model]) => !priced.has(model))
      .map(([model, channels]) => ({ model, channels }))
      .sort((a, b) => a.model.localeCompare(b.model)),
  };
}
