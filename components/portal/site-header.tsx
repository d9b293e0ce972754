import Link from "next/link";
import { useTranslations } from "next-intl";
import { Logo } from "./logo";
import { LocaleSwitcher } from "./locale-switcher";
import { VisitorAuthLinks } from "./visitor-auth-links";
import { buttonClasses } from "@/components/ui/button";

/**
 * The public header (landing page, docs and error pages for visitors): logo, Docs, Models, the
 * language, and sign in / sign up — or the way to the dashboard for a signed-in user. `signedIn`
 * is left out where it is not known (the error page), and then neither is shown.
 * On a phone everything cannot share one line: the logo and the account links keep the first, the
 * site's links take the second whole, rather than wrapping wherever the width runs out.
 * Not async, so client components (the error page) can render it too.
 */
export function SiteHeader({ signedIn }: { signedIn?: boolean }) {
  const t = useTranslations("nav");
  return (
    <header className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-2 gap-y-3 px-4 py-5 sm:px-6" data-testid="site-header">
      <div className="mr-auto">
        <Logo />
      </div>
      <nav aria-label={t("site")} className="order-last flex w-full flex-wrap items-center gap-2 sm:order-none sm:w-auto">
        <Link href="/docs" className={buttonClasses("ghost")}>
          {t("docs")}
        </Link>
        <Link href="/models" className={buttonClasses("ghost")}>
          {t("models")}
        </Link>
        <LocaleSwitcher />
      </nav>
      {signedIn === undefined ? null : (
        <div className="flex items-center gap-2" data-testid="account-links">
          {signedIn ? (
            <Link href="/dashboard" className={buttonClasses("primary")}>
              {t("dashboard")}
            </Link>
          ) : (
            <VisitorAuthLinks />
          )}
        </div>
      )}
    </header>
  );
}
