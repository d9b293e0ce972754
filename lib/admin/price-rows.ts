/**
 * Model prices as the admin console shows and edits them. Prices are micro-dollars per 1M tokens;
 * the console takes and shows USD per 1M tokens, exactly (no rounding). No server imports.
 */
export interface PriceRow {
  model: string;
  /** Micro-dollars per 1M tokens, as decimal strings. */
  inputPrice: string;
  outputPrice: string;
  cachedInputPrice: string | null;
  cacheWritePrice: string | null;
  cacheWrite1hPrice: string | null;
  visible: boolean;
  description: string | null;
  updatedAt: string;
  /** Channels serving the model (any status); empty = nobody serves it, so it cannot be called. */
  channels?: string[];
}

export interface UnpricedModel {
  model: string;
  channels: string[];
}

export function toPriceRow(price: {
  model: string;
  inputPrice: bigint;
  outputPrice: bigint;
  cachedInputPrice: bigint | null;
  cacheWritePrice: bigint | null;
  cacheWrite1hPrice: bigint | null;
  visible: boolean;
  description: string | null;
  updatedAt: Date;
}): PriceRow {
  return {
    model: price.model,
    inputPrice: price.inputPrice.toString(),
    outputPrice: price.outputPrice.toString(),
    cachedInputPrice: price.cachedInputPrice?.toString() ?? null,
    cacheWritePrice: price.cacheWritePrice?.toString() ?? null,
    cacheWrite1hPrice: price.cacheWrite1hPrice?.toString() ?? null,
    visible: price.visible,
    description: price.description,
    updatedAt: price.updatedAt.toISOString(),
  };
}

/** 2_500_000n → "2.5": an exact USD amount for a form field (no trailing zeros). */
export function usdInputValue(micros: bigint | string): string {
  const value = BigInt(micros);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
