import nodemailer, { type Transporter } from "nodemailer";
import { logger } from "../observability/log";

/**
 * Outgoing mail for account links (verify an address, reset a password), over SMTP_URL
 * (smtp://user:pass@host:587, smtps://… for implicit TLS) from MAIL_FROM.
 *
 * Links in mails are built from PUBLIC_URL only, never from the request's Host header: a forged Host
 * would otherwise send a victim a reset link pointing at the attacker's site. So mail counts as
 * configured only when both SMTP_URL and PUBLIC_URL are set.
 */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export function mailConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL && env.PUBLIC_URL);
}

/** PUBLIC_URL without a trailing slash, for links in mails. */
export function mailLinkOrigin(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.PUBLIC_URL) throw new Error("PUBLIC_URL is not set");
  return env.PUBLIC_URL.replace(/\/+$/, "");
}

export function mailFrom(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAIL_FROM) return env.MAIL_FROM;
  const host = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).hostname : "localhost";
  return `RootAPI <no-reply@${host}>`;
}

let cached: { url: string; transport: Transporter } | null = null;

function transport(url: string): Transporter {
  if (cached?.url !== url) cached = { url, transport: nodemailer.createTransport(url) };
  return cached.transport;
}

export async function sendMail(mail: Mail): Promise<void> {
  const url = process.env.SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set");
  await transport(url).sendMail({ from: mailFrom(), to: mail.to, subject: mail.subject, text: mail.text });
}

/**
 * Sends without making the caller wait: answers must not take longer when an account exists (which
 * would reveal it), and a slow mail server must not hold a request. Failures are logged without the
 * mail's text, which holds a secret link.
 */
export function sendMailInBackground(mail: Mail): void {
  sendMail(mail).catch((error: unknown) => {
    logger("mail").error({ event: "mail.send_failed", subject: mail.subject, error: error instanceof Error ? error.message : String(error) }, "Could not send mail");
  });
}
