"use client";

import Link from "next/link";
import { useId } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useDocsKeys } from "./docs-keys";
import { SignInLink } from "./sign-in-link";

/** The picker's element id: "Try it" links here when it needs a pasted key. */
export const KEY_PICKER_ID = "docs-key";

const inputClasses =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-600";

/**
 * Which key the examples show: one of the user's keys (by name and prefix), or one pasted for this
 * tab. A visitor has no keys here: they are offered to sign in, or to paste one.
 */
export function KeyPicker() {
  const t = useTranslations("docs.keys");
  const { signedIn, keys, selectedId, setSelectedId, pasted, setPasted } = useDocsKeys();
  const selectId = useId();
  const pasteId = useId();
  const hintId = useId();
  return (
    <div id={KEY_PICKER_ID} className="grid scroll-mt-6 grid-cols-1 gap-4 sm:grid-cols-2" data-testid="key-picker">
      {signedIn ? (
        <div>
          <label htmlFor={selectId} className="block text-sm font-medium text-zinc-900">
            {t("label")}
          </label>
          <select id={selectId} value={selectedId} onChange={(e) => setSelectedId(e.target.value)} className={`mt-1 ${inputClasses}`}>
            <option value="">{t("placeholder")}</option>
            {keys.map((key) => (
              <option key={key.id} value={key.id}>
                {t("option", { name: key.name, prefix: key.prefix })}
              </option>
            ))}
          </select>
          {keys.length === 0 ? (
            <p className="mt-1 text-xs text-zinc-600">
              {t.rich("none", { link: (chunks) => <Link href="/keys" className="font-medium text-indigo-600 hover:text-indigo-500">{chunks}</Link> })}
            </p>
          ) : selectedId && !pasted ? (
            <p className="mt-1 text-xs text-zinc-600">{t("usingPrefix")}</p>
          ) : null}
        </div>
      ) : (
        <div>
          <p className="block text-sm font-medium text-zinc-900">{t("label")}</p>
          <p className="mt-1 text-sm text-zinc-600" data-testid="key-picker-visitor">
            {t.rich("visitor", { link: (chunks) => <SignInLink>{chunks}</SignInLink> })}
          </p>
        </div>
      )}
      <div>
        <label htmlFor={pasteId} className="block text-sm font-medium text-zinc-900">
          {t("paste")}
        </label>
        <div className="mt-1 flex flex-wrap gap-2 sm:flex-nowrap">
          <input
            id={pasteId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            placeholder={t("pastePlaceholder")}
            aria-describedby={hintId}
            className={`${inputClasses} min-w-0 flex-1 font-mono`}
            data-testid="paste-key"
          />
          {pasted ? (
            <Button variant="secondary" className="shrink-0 whitespace-nowrap" onClick={() => setPasted("")}>
              {t("forget")}
            </Button>
          ) : null}
        </div>
        <p id={hintId} className="mt-1 text-xs text-zinc-600">
          {pasted ? t("usingPasted") : t("pasteHint")}
        </p>
      </div>
    </div>
  );
}
