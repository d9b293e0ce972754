import type { Db } from "../db/client";
import { addChannel } from "../channels/channels";
import { setModelPrice } from "../prices/prices";

const SANDBOX_SEED = "seed.sandbox";

/**
 * A fresh install gets the built-in sandbox channel (free, no internet needed) exactly once, so the
 * portal's first key works end to end. An admin who later removes it does not see it come back.
 */
export async function seedSandbox(db: Db): Promise<boolean> {
  if (await db.setting.findUnique({ where: { key: SANDBOX_SEED } })) return false;
  try {
    await db.setting.create({ data: { key: SANDBOX_SEED, value: new Date().toISOString() } });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return false; // another instance seeded it
    throw error;
  }
  if (!(await db.channel.findUnique({ where: { name: "sandbox" } }))) {
    await addChannel(db, { name: "sandbox", type: "sandbox", models: ["sandbox-chat"], priority: 0, weight: 1 });
  }
  if (!(await db.modelPrice.findUnique({ where: { model: "sandbox-chat" } }))) {
    await setModelPrice(db, { model: "sandbox-chat", inputPrice: 0n, outputPrice: 0n });
  }
  return true;
}
