"use server";

import { signOut } from "./auth";

/** The portal's sign-out button: ends the session and goes home. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
