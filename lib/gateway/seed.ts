import type { Db } from "../db/client";
import { addChannel, updateChannel } from "../channels/channels";
import { setModelPrice } from "../prices/prices";

const SANDBOX_SEED = "seed.sandbox";
const EMBEDDING_SEED = "seed.sandbox.embedding";
export const SANDBOX_CHAT_MODEL = "sandbox-chat";
export const SANDBOX_EMBEDDING_MODEL = "sandbox-embedding";

/**
 * A fresh install gets the built-in sandbox channel (free, no internet needed) exactly once, so the
 * portal's first key works end to end. An admin who later removes it does not see it come back.
 * Installs seeded before the sandbox embedded text get `sandbox-embedding` once, the same way.
 */
export async function seedSandbox(db: Db): Promise<boolean> {
  const seeded = await seedOnce(db, SANDBOX_SEED, async () => {
    if (!(await db.channel.findUnique({ where: { name: "sandbox" } }))) {
      await addChannel(db, { name: "sandbox", type: "sandbox", models: [SANDBOX_CHAT_MODEL, SANDBOX_EMBEDDING_MODEL], priority: 0, weight: 1 });
    }
    await freeModel(db, SANDBOX_CHAT_MODEL);
  });
  await seedOnce(db, EMBEDDING_SEED, async () => {
    const sandbox = await db.channel.findUnique({ where: { name: "sandbox" } });
    if (!sandbox || sandbox.type !== "sandbox") return;
    const models = Array.isArray(sandbox.models) ? (sandbox.models as string[]) : [];
    if (!models.includes(SANDBOX_EMBEDDING_MODEL)) await updateChannel(db, sandbox.id, { models: [...models, SANDBOX_EMBEDDING_MODEL] });
    await freeModel(db, SANDBOX_EMBEDDING_MODEL);
  });
  return seeded;
}

/** Runs `seed` the first time `key` is seen (across instances: the marker row is written first). */
async function seedOnce(db: Db, key: string, seed: () => Promise<void>): Promise<boolean> {
  if (await db.setting.findUnique({ where: { key } })) return false;
  try {
    await db.setting.create({ data: { key, value: new Date().toISOString() } });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return false; // another instance seeded it
    throw error;
  }
  await seed();
  return true;
}

async function freeModel(db: Db, model: string): Promise<void> {
  if (!(await db.modelPrice.findUnique({ where: { model } }))) await setModelPrice(db, { model, inputPrice: 0n, outputPrice: 0n });
}
