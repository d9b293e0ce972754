"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { buttonClasses } from "@/components/ui/button";
import { authPageHref } from "@/lib/auth/callback-url";

/** Sign in and sign up, both coming back to the page the visitor was reading (the landing page leads to the dashboard). */
export function VisitorAuthLinks() {
  const t = useTranslations("common");
  const pathname = usePathname();
  const back = pathname === "/" ? null : pathname;
  return (
    <>
      <Link href={authPageHref("/sign-in", back)} className={buttonClasses("ghost")}>
        {t("signIn")}
      </Link>
      <Link href={authPageHref("/sign-up", back)} className={buttonClasses("primary")}>
        {t("signUp")}
      </Link>
    </>
  );
}
