import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm, signInErrorMessage } from "@/components/auth/sign-in-form";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { oauthProviders } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/session";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  // next-auth redirects failed OAuth sign-ins here with ?error=…&code=…
  const initialError = params.error ? signInErrorMessage(typeof params.code === "string" ? params.code : null) : null;
  return (
    <>
      <h1 className="text-xl font-semibold">Sign in to RootAPI</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-600">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
      <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
      <OAuthButtons providers={oauthProviders()} callbackUrl={callbackUrl} />
    </>
  );
}
