"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

export function RedemptionCodesForm() {
  const [codes, setCodes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const t = useTranslations("admin.codes");
  const errorText = useErrorText();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await portalFetch<{ codes: string[] }>("/api/admin/redemption-codes", {
        method: "POST",
        body: JSON.stringify({ amountUsd: form.get("amountUsd"), count: form.get("count"), note: form.get("note") }),
      });
      setCodes(result.codes);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-4 sm:items-end" aria-label={t("formLabel")}>
        <Field id="amountUsd" label={t("worth")} inputMode="decimal" required />
        <Field id="count" label={t("count")} inputMode="numeric" defaultValue="1" />
        <Field id="note" label={t("note")} placeholder={t("notePlaceholder")} />
        <Button type="submit" disabled={pending}>
          {pending ? t("generating") : t("generate")}
        </Button>
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {codes.length ? (
        <div className="space-y-2">
          <Alert tone="warning">{t("copyNow")}</Alert>
          <div className="flex items-start gap-2">
            <pre tabIndex={0} data-testid="redemption-codes" className="flex-1 overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-sm">
              {codes.join("\n")}
            </pre>
            <CopyButton value={codes.join("\n")} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
