"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

const EXPIRY_DAYS = [7, 30, 90, 365] as const;

export function CreateKeyForm({ onCreated }: { onCreated: (key: string) => void }) {
  const t = useTranslations("keys.create");
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = Number(form.get("expiry") || 0);
    setPending(true);
    setError(null);
    try {
      const { key } = await portalFetch<{ key: string }>("/api/keys", {
        method: "POST",
        body: JSON.stringify({
          name: form.get("name"),
          expiresAt: days ? new Date(Date.now() + days * 86_400_000).toISOString() : null,
          budgetUsd: form.get("budgetUsd") || null,
          budgetPeriod: form.get("budgetPeriod"),
          rpmLimit: form.get("rpmLimit") || null,
          tpmLimit: form.get("tpmLimit") || null,
          allowedModels: form.get("allowedModels") || null,
        }),
      });
      formElement.reset();
      onCreated(key);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label={t("formLabel")}>
      <Field id="name" label={t("name")} placeholder={t("namePlaceholder")} required maxLength={64} className="min-w-56 flex-1" />
      <div>
        <label htmlFor="expiry" className="block text-sm font-medium">
          {t("expires")}
        </label>
        <select id="expiry" name="expiry" className={`${inputClasses} mt-1.5`} defaultValue="">
          <option value="">{t("never")}</option>
          {EXPIRY_DAYS.map((days) => (
            <option key={days} value={days}>
              {t("inDays", { days })}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </Button>
      <details className="w-full">
        <summary className="cursor-pointer text-sm font-medium text-zinc-700">{t("limits")}</summary>
        <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <Field id="budgetUsd" label={t("budget")} inputMode="decimal" placeholder={t("budgetPlaceholder")} />
          <div>
            <label htmlFor="budgetPeriod" className="block text-sm font-medium">
              {t("budgetPeriod")}
            </label>
            <select id="budgetPeriod" name="budgetPeriod" className={`${inputClasses} mt-1.5`} defaultValue="TOTAL">
              <option value="TOTAL">{t("periodTotal")}</option>
              <option value="MONTHLY">{t("periodMonthly")}</option>
            </select>
          </div>
          <Field id="allowedModels" label={t("allowedModels")} placeholder={t("allowedModelsPlaceholder")} hint={t("allowedModelsHint")} />
          <Field id="rpmLimit" label={t("rpm")} inputMode="numeric" placeholder={t("unlimited")} />
          <Field id="tpmLimit" label={t("tpm")} inputMode="numeric" placeholder={t("unlimited")} />
        </div>
      </details>
      {error ? (
        <Alert tone="error" className="w-full">
          {error}
        </Alert>
      ) : null}
    </form>
  );
}
