import { redirect } from "next/navigation";
import { auth } from "./auth";
import { getDb, Role } from "../db/client";
import { UserError, apiMessage } from "../errors";

/** The signed-in, enabled user — or null. Re-read from the database so role and disabled flags apply at once. */
export async function getCurrentUser() {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getDb().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true, balance: true, lowBalanceThreshold: true },
  });
  return user && !user.disabled ? user : null;
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

/** For pages: the signed-in user, or a redirect to sign-in (pages render beside their layout, so each checks). */
export async function requirePageUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}
