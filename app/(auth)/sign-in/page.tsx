import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { signInError } from "@/components/auth/sign-in-errors";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { oauthProviders } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/session";
import { authPageHref, safeCallbackUrl } from "@/lib/auth/callback-url";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return { title: t("signIn") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const [t, ts] = await Promise.all([getTranslations("auth"), getTranslations("auth.signIn")]);
  // next-auth redirects failed OAuth sign-ins here with ?error=…&code=…
  const initialError = params.error ? signInError(typeof params.code === "string" ? params.code : null) : null;
  return (
    <>
      <h1 className="text-xl font-semibold">{ts("title")}</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-600">
        {ts.rich("switch", {
          link: (chunks) => (
            <Link href={authPageHref("/sign-up", callbackUrl)} className="font-medium text-indigo-600 hover:text-indigo-500">
              {chunks}
            </Link>
          ),
        })}
      </p>
      <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
      <p className="mt-3 text-right text-sm">
        <Link href="/forgot-password" className="font-medium text-indigo-600 hover:text-indigo-500">
          {t("forgotLink")}
        </Link>
      </p>
      <OAuthButtons providers={oauthProviders()} callbackUrl={callbackUrl} />
    </>
  );
}
