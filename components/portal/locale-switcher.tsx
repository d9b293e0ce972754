"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { setLocale } from "@/i18n/actions";
import { LOCALES, LOCALE_NAMES } from "@/i18n/locales";

export function LocaleSwitcher() {
  const t = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  return (
    <select
      aria-label={t("language")}
      data-testid="locale-switcher"
      value={locale}
      disabled={pending}
      onChange={(event) => {
        const next = event.target.value;
        startTransition(async () => {
          await setLocale(next);
          router.refresh();
        });
      }}
      className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-700 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30"
    >
      {LOCALES.map((code) => (
        <option key={code} value={code} lang={code === "zh" ? "zh-CN" : "en"}>
          {LOCALE_NAMES[code]}
        </option>
      ))}
    </select>
  );
}
