import { UserError, apiMessage } from "../errors";
import { isScryptHash, scryptHash, scryptNeedsRehash, scryptVerify } from "./scrypt-hash";
import { bcryptVerifyOffThread, isBcryptHash } from "./bcrypt-worker";
import { withHashSlot } from "./hash-slots";

export const PASSWORD_MIN_LENGTH = 8;
// Older hashes are bcrypt, which only reads the first 72 bytes; the same cap for every hash keeps
// one rule for users and refuses input instead of silently ignoring part of it.
export const PASSWORD_MAX_BYTES = 72;

export function validatePassword(password: unknown): asserts password is string {
  if (typeof password !== "string" || password.length < PASSWORD_MIN_LENGTH) {
    throw new UserError(`Password must be at least ${PASSWORD_MIN_LENGTH} characters`, 400, "weak_password", "password", apiMessage("weakPassword", { min: PASSWORD_MIN_LENGTH }));
  }
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
    throw new UserError(`Password must be at most ${PASSWORD_MAX_BYTES} bytes`, 400, "password_too_long", "password", apiMessage("passwordTooLong", { max: PASSWORD_MAX_BYTES }));
  }
}

/** New hashes are scrypt (off the main thread). */
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => scryptHash(password));
}

/** Checks scrypt hashes and legacy bcrypt ones (in a worker); unknown formats never match. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (Buffer.byteLength(password, "utf8") > 4 * PASSWORD_MAX_BYTES) return false;
  if (isScryptHash(hash)) return withHashSlot(() => scryptVerify(password, hash));
  if (isBcryptHash(hash)) return withHashSlot(() => bcryptVerifyOffThread(password, hash));
  return false;
}

/** Whether a stored hash should be replaced by a fresh scrypt hash after a successful sign-in. */
export function needsRehash(hash: string): boolean {
  return !isScryptHash(hash) || scryptNeedsRehash(hash);
}

/** A real hash to compare against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= withHashSlot(() => scryptHash("not-a-real-password")));
}
