import type { Db } from "../db/client";
import { Role } from "../db/client";
import { hashPassword, validatePassword } from "../auth/password";
import { UserError, apiMessage } from "../errors";
import { grantSignupCredit } from "../billing/redemption";
import { parseUsd } from "../money";

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
  if (!EMAIL_PATTERN.test(normalized) || normalized.length > 254) {
    throw new UserError("Enter a valid email address", 400, "invalid_email", "email", apiMessage("invalidEmail"));
  }
  return normalized;
}

/** Whether ADMIN_EMAIL (one address or a comma-separated list) names this account. */
export function isListedAdmin(email: string): boolean {
  const listed = (process.env.ADMIN_EMAIL ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  return listed.some((entry) => normalizeEmail(entry) === normalizeEmail(email));
}

/** The first account on a platform, or one listed in ADMIN_EMAIL, administers it. */
export async function shouldBeAdmin(db: Db, email: string): Promise<boolean> {
  if (isListedAdmin(email)) return true;
  return (await db.user.count()) === 0;
}

export interface NewUser {
  email: string;
  password: string;
  name?: string | null;
  /** Force the admin role (CLI --admin); otherwise decided by shouldBeAdmin. */
  admin?: boolean;
}

export async function createUser(db: Db, input: NewUser) {
  const email = validateEmail(input.email);
  validatePassword(input.password);
  const name = input.name?.trim().slice(0, 100) || null;
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new UserError("An account with this email already exists", 409, "email_taken", "email", apiMessage("emailTaken"));
  }
  const role = input.admin || (await shouldBeAdmin(db, email)) ? Role.ADMIN : Role.USER;
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.user.create({ data: { email, name, passwordHash, role } });
    await grantSignupCredit(db, user.id, signupCredit());
    return user;
  } catch (error) {
    // Lost a race with a concurrent sign-up for the same address.
    if ((error as { code?: string }).code === "P2002") {
      throw new UserError("An account with this email already exists", 409, "email_taken", "email", apiMessage("emailTaken"));
    }
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
