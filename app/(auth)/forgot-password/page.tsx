import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.forgot");
  return { title: t("title") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("auth.forgot");
  return (
    <>
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-600">{t("intro")}</p>
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-zinc-600">
        {t.rich("back", {
          link: (chunks) => (
            <Link href="/sign-in" className="font-medium text-indigo-600 hover:text-indigo-500">
              {chunks}
            </Link>
          ),
        })}
      </p>
    </>
  );
}
