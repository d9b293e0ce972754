"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

export function ResetPasswordForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const t = useTranslations("auth");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const [state, setState] = useState<{ done?: boolean; error?: string; pending?: boolean }>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    if (password.length < minPasswordLength) {
      setState({ error: t("signUp.passwordTooShort", { min: minPasswordLength }) });
      return;
    }
    setState({ pending: true });
    try {
      await portalFetch("/api/password/reset", { method: "POST", body: JSON.stringify({ token, password }) });
      setState({ done: true });
    } catch (error) {
      setState({ error: errorText(error) });
    }
  }

  if (state.done) {
    return (
      <div className="space-y-4">
        <Alert tone="success">{t("reset.done")}</Alert>
        <Link href="/sign-in" className="block text-center text-sm font-medium text-indigo-600 hover:text-indigo-500">
          {tc("signIn")}
        </Link>
      </div>
    );
  }
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
