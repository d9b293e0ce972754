import type { Db } from "../db/client";
import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import { hashApiKey } from "../keys/api-key";
import { createApiKey } from "../keys/keys";

/**
 * Every playground turn is a real /v1 call made with the user's own "Playground" API key, so it is
 * authenticated, rate-limited, billed and logged exactly like any other call.
 *
 * Keys are only stored as hashes, yet the server must present this one on the user's behalf. So the
 * plain key is sealed with AES-256-GCM (lib/crypto/secret-box, the ROOTAPI_ENCRYPTION_KEY that
 * already protects upstream channel keys) in the Setting row `playground-key:<userId>`, together
 * with the key's id. It never leaves the server: the browser only talks to /api/playground/*.
 *
 * The key is created on first use, and again whenever the stored one cannot be used any more: the
 * user revoked it (or it expired) on the keys page, its row is gone, or the seal cannot be opened
 * (the encryption key was changed) — then the old key is revoked and a fresh one takes its place.
 */
export const PLAYGROUND_KEY_NAME = "Playground";

export const playgroundSettingKey = (userId: string) => `playground-key:${userId}`;

interface Sealed {
  keyId: string;
  /** encryptSecret(plain key) — "v1:iv:tag:data". */
  sealed: string;
}

function parseSealed(value: string): Sealed | null {
  try {
    const parsed = JSON.parse(value) as Partial<Sealed>;
    return typeof parsed.keyId === "string" && typeof parsed.sealed === "string" ? { keyId: parsed.keyId, sealed: parsed.sealed } : null;
  } catch {
    return null;
  }
}

/** The stored key if it still authenticates as this user's active key, else null. */
async function usableStoredKey(db: Db, userId: string, stored: Sealed, now: Date): Promise<string | null> {
  let key: string;
  try {
    key = decryptSecret(stored.sealed);
  } catch {
    return null;
  }
  const row = await db.apiKey.findFirst({
    where: { id: stored.keyId, userId, keyHash: hashApiKey(key) },
    select: { revokedAt: true, expiresAt: true },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  return key;
}

const isUniqueViolation = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && (error as { code?: unknown }).code === "P2002";

/** The user's playground key (plain, for the server's own /v1 call), created when needed. */
export async function getPlaygroundKey(db: Db, userId: string, now = new Date()): Promise<string> {
  const settingKey = playgroundSettingKey(userId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await db.setting.findUnique({ where: { key: settingKey } });
    const stored = row ? parseSealed(row.value) : null;
    if (stored) {
      const key = await usableStoredKey(db, userId, stored, now);
      if (key) return key;
    }

    const { key, record } = await createApiKey(db, userId, { name: PLAYGROUND_KEY_NAME }, now);
    const value = JSON.stringify({ keyId: record.id, sealed: encryptSecret(key) } satisfies Sealed);
    if (!row) {
      // First use. Two tabs may race here: the Setting's primary key lets exactly one win.
      try {
        await db.setting.create({ data: { key: settingKey, value } });
        return key;
      } catch (error) {
        await db.apiKey.delete({ where: { id: record.id } });
        if (!isUniqueViolation(error)) throw error;
        continue; // the other request stored its key: use that one
      }
    }
    // Replace the unusable key only if nobody replaced it meanwhile (compare-and-swap on the value).
    const { count } = await db.setting.updateMany({ where: { key: settingKey, value: row.value }, data: { value } });
    if (count === 1) {
      if (stored) await db.apiKey.updateMany({ where: { id: stored.keyId, userId, revokedAt: null }, data: { revokedAt: now } });
      return key;
    }
    await db.apiKey.delete({ where: { id: record.id } });
  }
  throw new Error("Could not set up the playground key");
}
