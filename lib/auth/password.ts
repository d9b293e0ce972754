import bcrypt from "bcryptjs";
import { UserError, apiMessage } from "../errors";

export const PASSWORD_MIN_LENGTH = 8;
// bcrypt only reads the first 72 bytes; refusing longer input beats silently ignoring part of it.
const PASSWORD_MAX_BYTES = 72;
const COST = 12;

export function validatePassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new UserError(`Password must be at least ${PASSWORD_MIN_LENGTH} characters`, 400, "weak_password", "password", apiMessage("weakPassword", { min: PASSWORD_MIN_LENGTH }));
  }
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
    throw new UserError(`Password must be at most ${PASSWORD_MAX_BYTES} bytes`, 400, "password_too_long", "password", apiMessage("passwordTooLong", { max: PASSWORD_MAX_BYTES }));
  }
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A real hash to compare against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= bcrypt.hash("not-a-real-password", COST));
}
