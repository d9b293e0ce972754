import { requirePageUser, type CurrentUser } from "../auth/session";
import { Role } from "../db/client";

/**
 * For admin pages: the signed-in admin, or null for anyone else (who gets the 403 page). Signed-out
 * visitors are sent to sign-in. Every admin page checks for itself: a page renders beside its layout.
 */
export async function adminPageUser(): Promise<CurrentUser | null> {
  const user = await requirePageUser();
  return user.role === Role.ADMIN ? user : null;
}
