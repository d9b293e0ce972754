import type { Db } from "../db/client";
import { ChannelStatus } from "../db/client";

/** The public price list: visible priced models, whether a channel serves them now, and how. */
export interface PublicModel {
  model: string;
  inputPrice: bigint;
  outputPrice: bigint;
  cachedInputPrice: bigint | null;
  /** Prompt-cache writes (5-minute TTL); null: the input price. */
  cacheWritePrice: bigint | null;
  /** Prompt-cache writes with a 1-hour TTL; null: the 5-minute write price. */
  cacheWrite1hPrice: bigint | null;
  available: boolean;
  nativeResponses: boolean;
  provider: string | null;
}

export async function publicModels(db: Db): Promise<PublicModel[]> {
  const [prices, channels] = await Promise.all([
    db.modelPrice.findMany({ where: { visible: true }, orderBy: { model: "asc" } }),
    db.channel.findMany({ where: { status: ChannelStatus.ENABLED }, select: { type: true, models: true, supportsResponses: true, priority: true }, orderBy: { priority: "desc" } }),
  ]);
  return prices.map((price) => {
    const serving = channels.filter((c) => Array.isArray(c.models) && (c.models as string[]).includes(price.model));
    return {
      model: price.model,
      inputPrice: price.inputPrice,
      outputPrice: price.outputPrice,
      cachedInputPrice: price.cachedInputPrice,
      cacheWritePrice: price.cacheWritePrice,
      cacheWrite1hPrice: price.cacheWrite1hPrice,
      available: serving.length > 0,
      nativeResponses: serving.some((c) => c.supportsResponses),
      provider: serving[0]?.type ?? null,
    };
  });
}

/** "$2.50" per 1M tokens, "Free" at zero; exact to the micro-dollar. */
export function perMillion(micros: bigint): string {
  if (micros === 0n) return "Free";
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "").padEnd(2, "0");
  return `$${whole}.${fraction}`;
}
