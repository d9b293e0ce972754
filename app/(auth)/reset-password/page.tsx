import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { FlowOutcome } from "@/components/auth/flow-outcome";
import { getDb } from "@/lib/db/client";
import { emailTokenUsable } from "@/lib/users/email-tokens";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.reset");
  return { title: t("title") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const t = await getTranslations("auth.reset");
  // Checked before asking for a password (not used up: only the form's POST does that).
  const usable = typeof token === "string" && (await emailTokenUsable(getDb(), "reset", token));
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">{t("title")}</h1>
      {usable ? (
        <ResetPasswordForm token={token} minPasswordLength={PASSWORD_MIN_LENGTH} />
      ) : (
        <FlowOutcome tone="error" message={t("invalid")} href="/forgot-password" label={t("again")} />
      )}
    </>
  );
}
