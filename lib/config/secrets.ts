import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "../db/url";

/**
 * Server secrets: taken from the environment when given, otherwise generated once and kept in
 * <data dir>/secrets.json (mode 0600) so a fresh install needs no configuration and the server,
 * the CLI and later restarts all agree on the same values.
 */
export interface Secrets {
  /** Signs next-auth session tokens. */
  authSecret: string;
  /** 32 bytes, encrypts upstream channel keys at rest. */
  encryptionKey: Buffer;
}

interface StoredSecrets {
  authSecret: string;
  encryptionKey: string;
}

let cached: Secrets | undefined;

export function loadSecrets(): Secrets {
  if (cached) return cached;
  const envAuth = process.env.AUTH_SECRET;
  const envKey = process.env.ROOTAPI_ENCRYPTION_KEY;
  const stored = envAuth && envKey ? undefined : readOrCreateStored();
  cached = {
    authSecret: envAuth || stored!.authSecret,
    encryptionKey: decodeKey(envKey || stored!.encryptionKey),
  };
  return cached;
}

/** Makes the secrets visible to libraries that read process.env (next-auth reads AUTH_SECRET). */
export function exportSecretsToEnv(): void {
  const secrets = loadSecrets();
  process.env.AUTH_SECRET ||= secrets.authSecret;
}

function readOrCreateStored(): StoredSecrets {
  const file = path.join(dataDir(), "secrets.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as StoredSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const fresh: StoredSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  try {
    // "wx": if another process (a second instance, the CLI) wins the race, use its file.
    fs.writeFileSync(file, JSON.stringify(fresh, null, 2) + "\n", { flag: "wx", mode: 0o600 });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return JSON.parse(fs.readFileSync(file, "utf8")) as StoredSecrets;
  }
}

function decodeKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new Error("ROOTAPI_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)");
  return key;
}
