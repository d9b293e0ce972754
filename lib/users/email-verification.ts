import type { Db } from "../db/client";
import { Role } from "../db/client";
import { UserError, apiMessage } from "../errors";
import { mailConfigured, mailLinkOrigin, sendMailInBackground } from "../mail/mailer";
import { takeMailQuota } from "../mail/quota";
import { consumeEmailToken, issueEmailToken } from "./email-tokens";
import { isListedAdmin } from "./users";

/** What a verification mail says, in the reader's language (built by the caller from the catalog). */
export type ComposeMail = (link: string) => { subject: string; text: string };

/**
 * Records that the account owns its address. This is the only way ADMIN_EMAIL makes an administrator:
 * the address is proven, not just typed into a sign-up form.
 */
export async function markEmailVerified(db: Db, userId: string, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true, role: true } });
  const promote = user.role !== Role.ADMIN && isListedAdmin(user.email);
  return db.user.update({
    where: { id: userId },
    data: { ...(user.emailVerified ? {} : { emailVerified: now }), ...(promote ? { role: Role.ADMIN } : {}) },
    select: { id: true, email: true, role: true, emailVerified: true },
  });
}

export function mailNotConfigured(): UserError {
  return new UserError("This server cannot send email. Ask the operator to set it up.", 503, "mail_not_configured", undefined, apiMessage("mailNotConfigured"));
}

/** Mails a fresh verification link to a signed-in user whose address is not verified yet. */
export async function sendVerificationMail(db: Db, userId: string, compose: ComposeMail): Promise<void> {
  if (!mailConfigured()) throw mailNotConfigured();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (user.emailVerified) throw new UserError("Your email address is already verified", 409, "already_verified", undefined, apiMessage("alreadyVerified"));
  if (!takeMailQuota(`verify:${userId}`)) {
    throw new UserError("Too many emails sent. Try again in an hour.", 429, "too_many_mails", undefined, apiMessage("tooManyMails"));
  }
  const token = await issueEmailToken(db, userId, "verify");
  sendMailInBackground({ to: user.email, ...compose(`${mailLinkOrigin()}/verify-email?token=${encodeURIComponent(token)}`) });
}

export async function verifyEmailWithToken(db: Db, token: string) {
  const userId = await consumeEmailToken(db, "verify", token);
  if (!userId) throw invalidLink();
  return markEmailVerified(db, userId);
}

export function invalidLink(): UserError {
  return new UserError("This link is invalid or has expired. Ask for a new one.", 400, "invalid_token", "token", apiMessage("invalidToken"));
}
