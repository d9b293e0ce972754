import { readFileSync } from "node:fs";
import path from "node:path";

/** Reads the secrets a server/CLI generated in its data dir (tests only). */
export function loadSecretsFrom(dataDir: string): { encryptionKey: Buffer } {
  const stored = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { encryptionKey: string };
  return { encryptionKey: Buffer.from(stored.encryptionKey, "base64") };
}
