import type { Db } from "../db/client";
import { UserError, apiMessage } from "../errors";
import { hashPassword, validatePassword, verifyPassword } from "../auth/password";
import { endAllPortalSessions } from "../auth/portal-sessions";
import { mailConfigured, mailLinkOrigin, sendMailInBackground } from "../mail/mailer";
import { consumeEmailToken, issueEmailToken } from "./email-tokens";
import { invalidLink, mailNotConfigured, markEmailVerified, type ComposeMail } from "./email-verification";
import { normalizeEmail } from "./users";
import { takeMailQuota } from "../mail/quota";
import { logger } from "../observability/log";

/**
 * Sets a new password and ends the user's sessions — all of them, or all but `keepSid` (the session
 * that changed its own password stays signed in).
 */
export async function setPassword(db: Db, userId: string, password: unknown, keepSid?: string): Promise<void> {
  validatePassword(password);
  const passwordHash = await hashPassword(password);
  await db.user.update({ where: { id: userId }, data: { passwordHash } });
  await endAllPortalSessions(db, userId, keepSid);
}

/** A signed-in user's own change: the current password must be right. */
export async function changePassword(db: Db, userId: string, current: unknown, next: unknown, sid: string): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (typeof current !== "string" || !user.passwordHash || !(await verifyPassword(current, user.passwordHash))) {
    throw new UserError("The current password is wrong", 400, "wrong_password", "currentPassword", apiMessage("wrongPassword"));
  }
  await setPassword(db, userId, next, sid);
}

/**
 * Mails a reset link when `email` has an enabled account. Only the configuration check happens
 * before the answer; the lookup and the mail run afterwards, so neither the answer nor its timing
 * says whether the account exists.
 */
export function startPasswordReset(db: Db, email: unknown, compose: ComposeMail): void {
  if (!mailConfigured()) throw mailNotConfigured();
  if (typeof email !== "string" || email.length > 254) return;
  void sendResetMail(db, normalizeEmail(email), compose).catch((error: unknown) => {
    logger("accounts").error({ event: "password_reset.start_failed", error: error instanceof Error ? error.message : String(error) }, "Could not start a password reset");
  });
}

async function sendResetMail(db: Db, email: string, compose: ComposeMail): Promise<void> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, disabled: true } });
  if (!user || user.disabled) return;
  // Over the quota the answer stays the same; nothing is sent.
  if (!takeMailQuota(`reset:${user.id}`)) return;
  const token = await issueEmailToken(db, user.id, "reset");
  sendMailInBackground({ to: user.email, ...compose(`${mailLinkOrigin()}/reset-password?token=${encodeURIComponent(token)}`) });
}

/**
 * Sets the password a reset link was sent for and signs the user out everywhere. Following the link
 * proves the mailbox, so the address counts as verified from then on.
 */
export async function resetPasswordWithToken(db: Db, token: unknown, password: unknown): Promise<void> {
  validatePassword(password); // before using up the token, so a too-short password can be retried
  const userId = await consumeEmailToken(db, "reset", String(token ?? ""));
  if (!userId) throw invalidLink();
  await setPassword(db, userId, password);
  await markEmailVerified(db, userId);
}
