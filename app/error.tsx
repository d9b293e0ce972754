"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { SiteHeader } from "@/components/portal/site-header";
import { StatusMessage } from "@/components/portal/status-message";
import { Button, buttonClasses } from "@/components/ui/button";

/**
 * A page failed while rendering. This boundary replaces everything below the root layout (the
 * portal's chrome too), so it brings the public header back. Only the digest is shown: production
 * never sends a server error's message to the browser.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("errors.page.error");
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <div className="min-h-screen">
      <title>{t("title")}</title>
      <SiteHeader />
      <main className="mx-auto max-w-6xl px-4 sm:px-6">
        <StatusMessage code="!" title={t("title")} body={t("body")}>
          <Button onClick={() => retry()}>{t("retry")}</Button>
          <Link href="/" className={buttonClasses("secondary")}>
            {t("home")}
          </Link>
        </StatusMessage>
        {digest ? <p className="text-center font-mono text-xs text-zinc-500">{t("reference", { digest })}</p> : null}
      </main>
    </div>
  );
}
