"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { signInWithPassword } from "./sign-in-form";

interface FieldErrors {
  email?: string;
  password?: string;
  form?: string;
}

export function SignUpForm({ minPasswordLength, callbackUrl }: { minPasswordLength: number; callbackUrl: string }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (password.length < minPasswordLength) {
      setErrors({ password: t("signUp.passwordTooShort", { min: minPasswordLength }) });
      return;
    }
    setPending(true);
    setErrors({});
    try {
      // The API answers in the visitor's language (its errors are translated server-side).
      const response = await fetch("/api/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, name: form.get("name") }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string; field?: string } } | null;
        const message = body?.error?.message ?? t("signUp.failed");
        const field = body?.error?.field;
        setErrors(field === "email" || field === "password" ? { [field]: message } : { form: message });
        return;
      }
      const failure = await signInWithPassword(email, password);
      if (failure) {
        setErrors({ form: t(`signIn.errors.${failure}`) });
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setErrors({ form: t("signUp.offline") });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <Field id="name" label={t("fields.nameOptional")} autoComplete="name" maxLength={100} />
      <Field id="email" label={t("fields.email")} type="email" autoComplete="email" required maxLength={254} error={errors.email} />
      <Field
        id="password"
        label={t("fields.password")}
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={t("signUp.passwordHint", { min: minPasswordLength })}
        error={errors.password}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("signUp.pending") : t("signUp.submit")}
      </Button>
    </form>
  );
}
