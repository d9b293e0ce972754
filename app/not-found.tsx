import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PortalShell } from "@/components/portal/portal-shell";
import { StatusMessage } from "@/components/portal/status-message";
import { buttonClasses } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("errors.page.notFound");
  return { title: t("title") };
}

/** Unknown addresses and notFound() anywhere: the portal's chrome stays, so the way on is one click. */
export default async function NotFound() {
  const [user, t] = await Promise.all([getCurrentUser(), getTranslations("errors.page.notFound")]);
  return (
    <PortalShell user={user}>
      <StatusMessage code="404" title={t("title")} body={t("body")}>
        <Link href={user ? "/dashboard" : "/"} className={buttonClasses("primary")}>
          {t("home")}
        </Link>
        <Link href="/docs" className={buttonClasses("secondary")}>
          {t("docs")}
        </Link>
      </StatusMessage>
    </PortalShell>
  );
}
