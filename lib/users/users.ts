import type { Db } from "../db/client";
import { Role } from "../db/client";
import { hashPassword, validatePassword } from "../auth/password";
import { UserError, apiMessage } from "../errors";
import { grantSignupCredit } from "../billing/redemption";
import { parseUsd } from "../money";
import { claimFirstAdmin, releaseFirstAdmin } from "./first-admin";

/** SIGNUP_CREDIT_USD: what every new account starts with (default nothing). */
export function signupCredit(): bigint {
  const value = process.env.SIGNUP_CREDIT_USD;
  return value ? parseUsd(value) : 0n;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validateEmail(email: string): string {
  const normalized = normalizeEmail(email);
  // Length first: the pattern never runs on megabytes of input.
  if (normalized.length > 254 || !EMAIL_PATTERN.test(normalized)) {
    throw new UserError("Enter a valid email address", 400, "invalid_email", "email", apiMessage("invalidEmail"));
  }
  return normalized;
}

/**
 * Whether ADMIN_EMAIL (one address or a comma-separated list) names this account. Listed accounts
 * become administrators only once their address is verified (lib/users/email-verification.ts):
 * anyone can sign up with any address.
 */
export function isListedAdmin(email: string): boolean {
  const listed = (process.env.ADMIN_EMAIL ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  return listed.some((entry) => normalizeEmail(entry) === normalizeEmail(email));
}

export const NAME_MAX_LENGTH = 100;

export interface NewUser {
  email: string;
  password: string;
  name?: string | null;
  /** Force the admin role (CLI --admin); otherwise only the platform's first account is one. */
  admin?: boolean;
}

function emailTaken(): UserError {
  return new UserError("An account with this email already exists", 409, "email_taken", "email", apiMessage("emailTaken"));
}

/** Checks sign-up input without touching the database (cheap, so it runs before any throttling). */
export function validateNewUser(input: { email?: unknown; password?: unknown; name?: unknown }): { email: string; password: string; name: string | null } {
  const email = validateEmail(typeof input.email === "string" ? input.email : "");
  validatePassword(input.password);
  if (input.name !== undefined && input.name !== null && typeof input.name !== "string") {
    throw new UserError("Name must be text", 400, "invalid_name", "name", apiMessage("nameInvalid"));
  }
  const name = (input.name ?? "").trim();
  if (name.length > NAME_MAX_LENGTH) {
    throw new UserError(`Names are at most ${NAME_MAX_LENGTH} characters`, 400, "name_too_long", "name", apiMessage("nameTooLong", { max: NAME_MAX_LENGTH }));
  }
  return { email, password: input.password, name: name || null };
}

export async function createUser(db: Db, input: NewUser) {
  const { email, password, name } = validateNewUser(input);
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  // Only a sign-up that found no account at all may claim the first-admin role, and the claim itself
  // is atomic (first-admin.ts), so racing sign-ups on a fresh install make exactly one admin.
  const claimed = !input.admin && (await db.user.count()) === 0 && (await claimFirstAdmin(db, email));
  const role = input.admin || claimed ? Role.ADMIN : Role.USER;
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.user.create({ data: { email, name, passwordHash, role } });
    await grantSignupCredit(db, user.id, signupCredit());
    return user;
  } catch (error) {
    if (claimed) await releaseFirstAdmin(db, email).catch(() => {});
    // Lost a race with a concurrent sign-up for the same address.
    if ((error as { code?: string }).code === "P2002") throw emailTaken();
    throw error;
  }
}

export async function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: normalizeEmail(email) } });
}

export async function requireUserByEmail(db: Db, email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) throw new UserError(`No user with email ${normalizeEmail(email)}`, 404, "user_not_found", "email", apiMessage("userNotFoundByEmail", { email: normalizeEmail(email) }));
  return user;
}
