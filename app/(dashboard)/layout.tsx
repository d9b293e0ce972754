import type { ReactNode } from "react";
import { PortalShell } from "@/components/portal/portal-shell";
import { requirePageUser } from "@/lib/auth/session";

/** Signed-in pages: visitors go to sign-in, and come back here afterwards. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  return <PortalShell user={await requirePageUser()}>{children}</PortalShell>;
}
