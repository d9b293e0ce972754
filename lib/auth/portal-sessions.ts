import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

/**
 * Server-side records of portal sessions. The JWT cookie holds a random session id; only its SHA-256
 * is stored. A JWT alone stays cryptographically valid until it expires, so revocation works by
 * deleting the row: getCurrentUser refuses a session whose row is gone.
 */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export function hashSessionId(sid: string): string {
  return createHash("sha256").update(sid).digest("hex");
}

/** Records a new session for `userId` and returns the id to put in its JWT. */
export async function startPortalSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const sid = randomBytes(32).toString("base64url");
  // Expired rows (anyone's: the expiresAt index makes it cheap) go on the way, so the table holds
  // about one row per live session without a separate clean-up job.
  await db.portalSession.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.portalSession.create({
    data: { userId, tokenHash: hashSessionId(sid), expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) },
  });
  return sid;
}

export async function endPortalSession(db: Db, sid: string): Promise<void> {
  await db.portalSession.deleteMany({ where: { tokenHash: hashSessionId(sid) } });
}

/** Ends every session of a user, or every one but `keepSid` (the one asking, after a password change). */
export async function endAllPortalSessions(db: Db, userId: string, keepSid?: string): Promise<number> {
  const { count } = await db.portalSession.deleteMany({
    where: { userId, ...(keepSid ? { tokenHash: { not: hashSessionId(keepSid) } } : {}) },
  });
  return count;
}
