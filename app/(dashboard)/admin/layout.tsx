import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { getCurrentUser } from "@/lib/auth/session";
import { Role } from "@/lib/db/client";

/** The admin console's sub-navigation, for admins only; each page still checks access itself. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <>
      {user?.role === Role.ADMIN ? <AdminNav /> : null}
      {children}
    </>
  );
}
