"use client";

import type { FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { usePortalAction } from "@/lib/client/use-portal-action";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const t = useTranslations("auth");
  const { state, run } = usePortalAction();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    await run(() => portalFetch("/api/password/forgot", { method: "POST", body: JSON.stringify({ email }) }));
  }

  if (state.done) return <Alert tone="success">{t("forgot.sent")}</Alert>;
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
