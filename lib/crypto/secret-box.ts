import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { loadSecrets } from "../config/secrets";

/** AES-256-GCM for secrets we must be able to read back (upstream API keys). Format: v1:iv:tag:data */
export function encryptSecret(plain: string, key: Buffer = loadSecrets().encryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(":");
}

export function decryptSecret(sealed: string, key: Buffer = loadSecrets().encryptionKey): string {
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("Unrecognised encrypted secret format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
