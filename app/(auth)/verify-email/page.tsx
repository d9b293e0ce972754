import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { VerifyEmailForm } from "@/components/auth/verify-email-form";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/lib/db/client";
import { emailTokenUsable } from "@/lib/users/email-tokens";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.verify");
  return { title: t("title") };
}

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const t = await getTranslations("auth.verify");
  const usable = typeof token === "string" && (await emailTokenUsable(getDb(), "verify", token));
  return (
    <>
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      {usable ? (
        <>
          <p className="mt-1 mb-6 text-sm text-zinc-600">{t("intro")}</p>
          <VerifyEmailForm token={token} />
        </>
      ) : (
        <Alert tone="error" className="mt-6">
          {t("invalid")}
        </Alert>
      )}
    </>
  );
}
