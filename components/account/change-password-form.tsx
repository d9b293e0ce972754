"use client";

import type { FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { usePortalAction } from "@/lib/client/use-portal-action";

export function ChangePasswordForm({ minPasswordLength }: { minPasswordLength: number }) {
  const t = useTranslations("account.password");
  const ta = useTranslations("auth.signUp");
  const { state, run, fail } = usePortalAction();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword.length < minPasswordLength) return fail(ta("passwordTooShort", { min: minPasswordLength }));
    await run(async () => {
      await portalFetch("/api/account/password", { method: "POST", body: JSON.stringify({ currentPassword: form.get("currentPassword"), newPassword }) });
      formElement.reset();
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-4 max-w-sm space-y-4" noValidate>
      {state.done ? <Alert tone="success">{t("done")}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field id="currentPassword" label={t("current")} type="password" autoComplete="current-password" required />
      <Field id="newPassword" label={t("new")} type="password" autoComplete="new-password" required minLength={minPasswordLength} hint={ta("passwordHint", { min: minPasswordLength })} />
      <Button type="submit" disabled={state.pending}>
        {t("submit")}
      </Button>
    </form>
  );
}
