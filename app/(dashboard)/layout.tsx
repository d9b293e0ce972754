import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { Logo } from "@/components/portal/logo";
import { NavLinks, type NavItem } from "@/components/portal/nav-links";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";
import { signOut } from "@/lib/auth/auth";
import { Role } from "@/lib/db/client";
import { LocaleSwitcher } from "@/components/portal/locale-switcher";
import { getTranslations } from "next-intl/server";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";

const NAV = [
  { href: "/dashboard", key: "overview" },
  { href: "/keys", key: "keys" },
  { href: "/usage", key: "usage" },
  { href: "/billing", key: "billing" },
  { href: "/playground", key: "playground" },
  { href: "/docs", key: "docs" },
  { href: "/account", key: "account" },
] as const;

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const [t, tc] = await Promise.all([getTranslations("nav"), getTranslations("common")]);
  const links = user.role === Role.ADMIN ? [...NAV, { href: "/admin", key: "admin" } as const] : NAV;
  const items: NavItem[] = links.map(({ href, key }) => ({ href, label: t(key) }));

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
        <nav aria-label={t("label")} className="mt-3 md:mt-8">
          <NavLinks items={items} />
        </nav>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-end gap-3 border-b border-zinc-200 bg-white px-4 py-3 sm:px-6">
          <LocaleSwitcher />
          <span className="truncate text-sm text-zinc-600" data-testid="current-user">
            {user.email}
          </span>
          <form action={signOutAction}>
            <Button type="submit" variant="secondary" size="sm">
              {tc("signOut")}
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
