import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

/**
 * Single-use, expiring tokens for links sent by email. The mail carries the token; the database only
 * its SHA-256 (256 random bits need no slow hash), so a database leak yields no working links.
 */
export type EmailTokenPurpose = "verify" | "reset";

export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify: 24 * 3600_000,
  reset: 3600_000,
};

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token for `purpose`; earlier unused ones of the same purpose stop working (the newest mail counts). */
export async function issueEmailToken(db: Db, userId: string, purpose: EmailTokenPurpose, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.emailToken.deleteMany({ where: { userId, purpose } });
  await db.emailToken.create({
    data: { userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS[purpose]) },
  });
  return token;
}

/**
 * Uses up a token: the owner's id if it was valid, unused and unexpired, otherwise null. The guarded
 * update makes it single-use even when two requests present it at once.
 */
export async function consumeEmailToken(db: Db, purpose: EmailTokenPurpose, token: string, now = new Date()): Promise<string | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const { count } = await db.emailToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return null;
  const row = await db.emailToken.findUnique({ where: { tokenHash }, select: { userId: true } });
  return row?.userId ?? null;
}

/** Whether a token would be accepted now (the reset page checks before asking for a new password). */
export async function emailTokenUsable(db: Db, purpose: EmailTokenPurpose, token: string, now = new Date()): Promise<boolean> {
  if (typeof token !== "string" || token.length < 20 || token.length > 200) return false;
  const row = await db.emailToken.findUnique({ where: { tokenHash: hashToken(token) }, select: { purpose: true, usedAt: true, expiresAt: true } });
  return Boolean(row && row.purpose === purpose && !row.usedAt && row.expiresAt > now);
}
