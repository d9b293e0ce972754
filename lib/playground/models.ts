import type { Price } from "../billing/pricing";
import { getCatalog } from "../gateway/routing/catalog";
import { getHotStore } from "../gateway/store";
import { displayUsd } from "../money";
import type { PlaygroundModel } from "./types";

/** "$2.50 in · $10.00 out / 1M tokens", or "free". */
export function priceLabel(price: Price): string {
  if (price.inputPrice === 0n && price.outputPrice === 0n) return "free";
  return `${displayUsd(price.inputPrice)} in · ${displayUsd(price.outputPrice)} out / 1M tokens`;
}

/**
 * The models the playground offers: exactly what GET /v1/models lists for the user's playground key
 * (callable = served by an enabled channel and priced; that key has no model allow-list).
 */
export async function playgroundModels(): Promise<PlaygroundModel[]> {
  const catalog = await getCatalog(getHotStore());
  return catalog.models.map((id) => {
    const price = catalog.prices.get(id)!;
    return {
      id,
      inputPrice: price.inputPrice.toString(),
      outputPrice: price.outputPrice.toString(),
      cachedInputPrice: price.cachedInputPrice?.toString() ?? null,
      free: [price.inputPrice, price.outputPrice, price.cachedInputPrice, price.cacheWritePrice, price.cacheWrite1hPrice].every((rate) => (rate ?? 0n) === 0n),
      priceLabel: priceLabel(price),
      shortPrice: price.inputPrice === 0n && price.outputPrice === 0n ? "free" : `${displayUsd(price.inputPrice)} / ${displayUsd(price.outputPrice)} per 1M`,
    };
  });
}

/** The default pick: the sandbox when there is one (free, offline), else the first model. */
export function defaultModel(models: readonly PlaygroundModel[]): string | null {
  return (models.find((m) => m.id === "sandbox-chat") ?? models.find((m) => m.free) ?? models[0])?.id ?? null;
}
