"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const t = useTranslations("auth");
  const errorText = useErrorText();
  const [state, setState] = useState<{ sent?: boolean; error?: string; pending?: boolean }>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setState({ pending: true });
    try {
      await portalFetch("/api/password/forgot", { method: "POST", body: JSON.stringify({ email }) });
      setState({ sent: true });
    } catch (error) {
      setState({ error: errorText(error) });
    }
  }

  if (state.sent) return <Alert tone="success">{t("forgot.sent")}</Alert>;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field id="email" label={t("fields.email")} type="email" autoComplete="email" required maxLength={254} />
      <Button type="submit" className="w-full" disabled={state.pending}>
        {state.pending ? t("forgot.pending") : t("forgot.submit")}
      </Button>
    </form>
  );
}
