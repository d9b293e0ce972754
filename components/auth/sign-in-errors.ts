/** next-auth's sign-in error codes (see lib/auth/auth.ts) → the auth.signIn.errors message to show. */
export type SignInError = "invalid_credentials" | "too_many_attempts" | "account_disabled" | "failed";

const KNOWN = new Set<SignInError>(["invalid_credentials", "too_many_attempts", "account_disabled"]);

export function signInError(code: string | null | undefined): SignInError {
  return code && KNOWN.has(code as SignInError) ? (code as SignInError) : "failed";
}
