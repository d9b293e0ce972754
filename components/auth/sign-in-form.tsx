"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";

const MESSAGES: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  too_many_attempts: "Too many failed attempts. Wait 15 minutes and try again.",
  account_disabled: "This account has been disabled. Contact the administrator.",
};

export function signInErrorMessage(code: string | null | undefined): string {
  return (code && MESSAGES[code]) || "Sign-in failed. Check your email and password.";
}

/** Signs in with email and password; used by the sign-in page and right after sign-up. */
export async function signInWithPassword(email: string, password: string): Promise<string | null> {
  const result = await signIn("credentials", { email, password, redirect: false });
  if (!result || result.error) return signInErrorMessage(result?.code);
  return null;
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ?? null);
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
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="email" label="Email" type="email" autoComplete="email" required />
      <Field id="password" label="Password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
