import { cache } from "react";
import { auth } from "./auth";
import { getDb, Role } from "../db/client";
import { UserError, apiMessage } from "../errors";
import { hashSessionId } from "./portal-sessions";
import { redirectToSignIn } from "./sign-in-redirect";

const USER_FIELDS = { id: true, email: true, name: true, role: true, disabled: true, balance: true, lowBalanceThreshold: true, emailVerified: true } as const;

/**
 * The signed-in, enabled user and their session id — or null. Read from the database on every
 * request, together with the session's record, so role and disabled flags apply at once and an
 * ended session (sign-out, sign out everywhere, password reset) stops working even if its cookie
 * was copied. Looked up once per page render (React's cache): the layout, the page and the
 * not-found boundary Next renders beside every page all ask.
 */
export const getCurrentSession = cache(async () => {
  const session = await auth();
  const id = session?.user?.id;
  const sid = (session as { sid?: unknown } | null)?.sid;
  if (!id || typeof sid !== "string") return null;
  const record = await getDb().portalSession.findUnique({
    where: { tokenHash: hashSessionId(sid) },
    select: { userId: true, expiresAt: true, user: { select: USER_FIELDS } },
  });
  if (!record || record.userId !== id || record.expiresAt <= new Date() || record.user.disabled) return null;
  return { user: record.user, sid };
});

/** The signed-in, enabled user — or null. */
export async function getCurrentUser() {
  return (await getCurrentSession())?.user ?? null;
}

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>;

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new UserError("Sign in first", 401, "unauthenticated", undefined, apiMessage("unauthenticated"));
  return user;
}

export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== Role.ADMIN) throw new UserError("Administrators only", 403, "forbidden", undefined, apiMessage("forbidden"));
  return user;
}

/**
 * For pages: the signed-in user, or a redirect to sign-in that comes back to this page (pages
 * render beside their layout, so each checks).
 */
export async function requirePageUser(): Promise<CurrentUser> {
  return (await getCurrentUser()) ?? redirectToSignIn();
}

/** For routes that act on the session itself (password change, sign out everywhere). */
export async function requireSession(): Promise<{ user: CurrentUser; sid: string }> {
  const current = await getCurrentSession();
  if (!current) throw new UserError("Sign in first", 401, "unauthenticated", undefined, apiMessage("unauthenticated"));
  return current;
}
