import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Logo } from "./logo";
import { NavLinks, type NavItem } from "./nav-links";
import { LocaleSwitcher } from "./locale-switcher";
import { Button } from "@/components/ui/button";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";
import type { CurrentUser } from "@/lib/auth/session";
import { signOutAction } from "@/lib/auth/sign-out-action";
import { Role } from "@/lib/db/client";

const NAV = [
  { href: "/dashboard", key: "overview" },
  { href: "/keys", key: "keys" },
  { href: "/usage", key: "usage" },
  { href: "/billing", key: "billing" },
  { href: "/playground", key: "playground" },
  { href: "/docs", key: "docs" },
  { href: "/account", key: "account" },
] as const;

/** The signed-in portal: side nav (admins also get Admin), the language, the user and sign out. */
export async function UserShell({ user, children }: { user: CurrentUser; children: ReactNode }) {
  const [t, tc] = await Promise.all([getTranslations("nav"), getTranslations("common")]);
  const links = user.role === Role.ADMIN ? [...NAV, { href: "/admin", key: "admin" } as const] : NAV;
  const items: NavItem[] = links.map(({ href, key }) => ({ href, label: t(key) }));
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
          <span className="truncate text-sm text-zinc-600" title={user.email} data-testid="current-user">
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
