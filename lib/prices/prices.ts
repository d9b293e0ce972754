import type { Db } from "../db/client";
import { UserError, apiMessage } from "../errors";

export interface PriceInput {
  model: string;
  /** Micro-dollars per 1M tokens. */
  inputPrice: bigint;
  outputPrice: bigint;
  cachedInputPrice?: bigint | null;
  /** Prompt-cache writes (5-minute TTL); null: the input price. */
  cacheWritePrice?: bigint | null;
  /** Prompt-cache writes with a 1-hour TTL; null: the 5-minute write price. */
  cacheWrite1hPrice?: bigint | null;
  visible?: boolean;
  /** Omitted: unchanged; null or "": none. */
  description?: string | null;
}

const MAX_MODEL_LENGTH = 200;

function validatePrices(input: Pick<PriceInput, "inputPrice" | "outputPrice" | "cachedInputPrice" | "cacheWritePrice" | "cacheWrite1hPrice">): void {
  for (const [field, value, name, label] of [
    ["inputPrice", input.inputPrice, "input", "priceLabelInput"],
    ["outputPrice", input.outputPrice, "output", "priceLabelOutput"],
    ["cachedInputPrice", input.cachedInputPrice, "cached input", "priceLabelCached"],
    ["cacheWritePrice", input.cacheWritePrice, "cache write", "priceLabelCacheWrite"],
    ["cacheWrite1hPrice", input.cacheWrite1hPrice, "1-hour cache write", "priceLabelCacheWrite1h"],
  ] as const) {
    if (value != null && value < 0n) throw new UserError(`The ${name} price cannot be negative`, 400, "invalid_price", field, apiMessage("priceNegative", { label: apiMessage(label) }));
  }
}

function priceData(input: PriceInput) {
  return {
    inputPrice: input.inputPrice,
    outputPrice: input.outputPrice,
    cachedInputPrice: input.cachedInputPrice ?? null,
    cacheWritePrice: input.cacheWritePrice ?? null,
    cacheWrite1hPrice: input.cacheWrite1hPrice ?? null,
    ...(input.visible === undefined ? {} : { visible: input.visible }),
    ...(input.description === undefined ? {} : { description: input.description?.trim().slice(0, 500) || null }),
  };
}

function modelId(model: string): string {
  const id = model.trim();
  if (!id) throw new UserError("Model is required", 400, "invalid_model", "model", apiMessage("modelRequired"));
  if (id.length > MAX_MODEL_LENGTH) throw new UserError(`Model ids are at most ${MAX_MODEL_LENGTH} characters`, 400, "invalid_model", "model", apiMessage("modelTooLong", { max: MAX_MODEL_LENGTH }));
  return id;
}

const notFound = (model: string) => new UserError(`No price for "${model}"`, 404, "not_found", undefined, apiMessage("priceNotFound", { model }));
const isMissingRow = (error: unknown) => (error as { code?: string }).code === "P2025";

/** Creates or replaces a model's price (the CLI's `price set`). */
export async function setModelPrice(db: Db, input: PriceInput) {
  const model = modelId(input.model);
  validatePrices(input);
  const data = priceData(input);
  return db.modelPrice.upsert({ where: { model }, create: { model, ...data }, update: data });
}

/** Adds a price for a model that has none (the admin console: an existing price is edited, not overwritten). */
export async function createModelPrice(db: Db, input: PriceInput) {
  const model = modelId(input.model);
  validatePrices(input);
  try {
    return await db.modelPrice.create({ data: { model, ...priceData(input) } });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new UserError(`"${model}" already has a price; edit it instead`, 409, "price_exists", "model", apiMessage("priceExists", { model }));
    throw error;
  }
}

/** Changes an existing model's price. */
export async function updateModelPrice(db: Db, input: PriceInput) {
  const model = input.model.trim();
  validatePrices(input);
  try {
    return await db.modelPrice.update({ where: { model }, data: priceData(input) });
  } catch (error) {
    if (isMissingRow(error)) throw notFound(model);
    throw error;
  }
}

/** Removes a model's price: the model stops being callable (the gateway refuses unpriced models). */
export async function deleteModelPrice(db: Db, model: string): Promise<void> {
  try {
    await db.modelPrice.delete({ where: { model } });
  } catch (error) {
    if (isMissingRow(error)) throw notFound(model);
    throw error;
  }
}

export function listModelPrices(db: Db, { visibleOnly = false } = {}) {
  return db.modelPrice.findMany({ where: visibleOnly ? { visible: true } : undefined, orderBy: { model: "asc" } });
}
