"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";

export function RedeemForm() {
  const t = useTranslations("billing.redeem");
  const errorText = useErrorText();
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setPending(true);
    setMessage(null);
    try {
      const { amount } = await portalFetch<{ amount: string }>("/api/billing/redeem", { method: "POST", body: JSON.stringify({ code: new FormData(form).get("code") }) });
      setMessage({ tone: "success", text: t("success", { amount: displayUsd(BigInt(amount)) }) });
      form.reset();
      router.refresh();
    } catch (e) {
      setMessage({ tone: "error", text: errorText(e) });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label={t("title")}>
      <Field id="code" label={t("code")} placeholder={t("placeholder")} autoComplete="off" required />
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </Button>
    </form>
  );
}
