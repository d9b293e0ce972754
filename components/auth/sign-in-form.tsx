"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { signInError, type SignInError } from "./sign-in-errors";

/** Signs in with email and password; used by the sign-in page and right after sign-up. */
export async function signInWithPassword(email: string, password: string): Promise<SignInError | null> {
  const result = await signIn("credentials", { email, password, redirect: false });
  if (!result || result.error) return signInError(result?.code);
  return null;
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: SignInError | null }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [error, setError] = useState<SignInError | null>(initialError ?? null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const failure = await signInWithPassword(String(form.get("email")), String(form.get("password")));
    if (failure) {
      setError(failure);
      setPending(false);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error ? <Alert tone="error">{t(`signIn.errors.${error}`)}</Alert> : null}
      <Field id="email" label={t("fields.email")} type="email" autoComplete="email" required />
      <Field id="password" label={t("fields.password")} type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("signIn.pending") : t("signIn.submit")}
      </Button>
    </form>
  );
}
