import type { Db } from "../db/client";
import { UserError } from "../errors";

export interface PriceInput {
  model: string;
  /** Micro-dollars per 1M tokens. */
  inputPrice: bigint;
  outputPrice: bigint;
  cachedInputPrice?: bigint | null;
  visible?: boolean;
}

export async function setModelPrice(db: Db, input: PriceInput) {
  const model = input.model.trim();
  if (!model) throw new UserError("Model is required", 400, "invalid_model", "model");
  for (const [field, value] of [["input", input.inputPrice], ["output", input.outputPrice], ["cached input", input.cachedInputPrice]] as const) {
    if (value != null && value < 0n) throw new UserError(`The ${field} price cannot be negative`, 400, "invalid_price", field);
  }
  const data = {
    inputPrice: input.inputPrice,
    outputPrice: input.outputPrice,
    cachedInputPrice: input.cachedInputPrice ?? null,
    ...(input.visible === undefined ? {} : { visible: input.visible }),
  };
  return db.modelPrice.upsert({ where: { model }, create: { model, ...data }, update: data });
}

export function listModelPrices(db: Db, { visibleOnly = false } = {}) {
  return db.modelPrice.findMany({ where: visibleOnly ? { visible: true } : undefined, orderBy: { model: "asc" } });
}
