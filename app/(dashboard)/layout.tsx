import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { Logo } from "@/components/portal/logo";
import { NavLinks, type NavItem } from "@/components/portal/nav-links";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";
import { signOut } from "@/lib/auth/auth";
import { Role } from "@/lib/db/client";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";

const NAV: NavItem[] = [
  { href: "/dashboard", label: "Overview" },
  { href: "/keys", label: "API keys" },
  { href: "/usage", label: "Usage" },
  { href: "/billing", label: "Billing" },
  { href: "/playground", label: "Playground" },
  { href: "/docs", label: "Docs" },
];

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const items = user.role === Role.ADMIN ? [...NAV, { href: "/admin", label: "Admin" }] : NAV;

  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/" });
  }

  return (
    <div className="md:flex md:min-h-screen">
      <aside className="border-b border-zinc-200 bg-white px-3 py-3 md:w-60 md:shrink-0 md:border-r md:border-b-0 md:px-4 md:py-6">
        <div className="flex items-center justify-between px-2 md:block">
          <Logo href="/dashboard" />
        </div>
        <nav aria-label="Dashboard" className="mt-3 md:mt-8">
          <NavLinks items={items} />
        </nav>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-end gap-3 border-b border-zinc-200 bg-white px-4 py-3 sm:px-6">
          <span className="truncate text-sm text-zinc-600" data-testid="current-user">
            {user.email}
          </span>
          <form action={signOutAction}>
            <Button type="submit" variant="secondary" size="sm">
              Sign out
            </Button>
          </form>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
          <LowBalanceBanner balance={user.balance} threshold={user.lowBalanceThreshold} />
          {children}
        </main>
      </div>
    </div>
  );
}
