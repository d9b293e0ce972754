import type { ReactNode } from "react";
import { SiteHeader } from "./site-header";
import { UserShell } from "./user-shell";
import type { CurrentUser } from "@/lib/auth/session";

/** The portal's chrome around a page: the signed-in user's, or the public header for a visitor. */
export function PortalShell({ user, children }: { user: CurrentUser | null; children: ReactNode }) {
  if (user) return <UserShell user={user}>{children}</UserShell>;
  return (
    <div className="min-h-screen">
      <SiteHeader signedIn={false} />
      <main className="mx-auto max-w-6xl px-4 pt-2 pb-10 sm:px-6">{children}</main>
    </div>
  );
}
