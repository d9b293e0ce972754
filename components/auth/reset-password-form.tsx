"use client";

import type { FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { usePortalAction } from "@/lib/client/use-portal-action";
import { FlowOutcome } from "./flow-outcome";

export function ResetPasswordForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const t = useTranslations("auth");
  const tc = useTranslations("common");
  const { state, run, fail } = usePortalAction();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    if (password.length < minPasswordLength) return fail(t("signUp.passwordTooShort", { min: minPasswordLength }));
    await run(() => portalFetch("/api/password/reset", { method: "POST", body: JSON.stringify({ token, password }) }));
  }

  if (state.done) return <FlowOutcome tone="success" message={t("reset.done")} href="/sign-in" label={tc("signIn")} />;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        id="password"
        label={t("reset.newPassword")}
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={t("signUp.passwordHint", { min: minPasswordLength })}
      />
      <Button type="submit" className="w-full" disabled={state.pending}>
        {state.pending ? t("reset.pending") : t("reset.submit")}
      </Button>
    </form>
  );
}
