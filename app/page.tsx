import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/portal/site-header";
import { OnboardingSteps } from "@/components/portal/onboarding-steps";
import { CodeBlock } from "@/components/portal/code-block";
import { buttonClasses } from "@/components/ui/button";
import { nodeQuickstart } from "@/lib/docs/snippets";
import { publicOrigin } from "@/lib/http/base-url";
import { getCurrentUser } from "@/lib/auth/session";

const FEATURES = ["compatible", "billing", "upstreams", "selfHosted"] as const;

export default async function LandingPage() {
  const [origin, user, t] = await Promise.all([publicOrigin(), getCurrentUser(), getTranslations("landing")]);
  return (
    <div className="min-h-screen">
      <SiteHeader signedIn={user !== null} />

      <main>
        <section className="mx-auto grid max-w-6xl items-center gap-10 px-4 py-12 sm:px-6 lg:grid-cols-2 lg:py-20">
          <div>
            <h1 className="text-4xl font-bold tracking-tight text-zinc-900 sm:text-5xl">{t("hero.title")}</h1>
            <p className="mt-5 text-lg text-zinc-600">{t("hero.body")}</p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link href={user ? "/keys" : "/sign-up"} className={buttonClasses("primary")}>
                {user ? t("hero.createKey") : t("hero.createAccount")}
              </Link>
              <Link href="/docs" className={buttonClasses("secondary")}>
                {t("hero.readDocs")}
              </Link>
            </div>
          </div>
          <CodeBlock label={t("hero.codeLabel")} code={nodeQuickstart(origin)} />
        </section>

        <section aria-labelledby="steps" className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
          <h2 id="steps" className="text-2xl font-semibold tracking-tight">
            {t("steps.title")}
          </h2>
          <div className="mt-6">
            <OnboardingSteps />
          </div>
        </section>

        <section aria-labelledby="why" className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
          <h2 id="why" className="text-2xl font-semibold tracking-tight">
            {t("features.title")}
          </h2>
          <ul className="mt-6 grid gap-4 sm:grid-cols-2">
            {FEATURES.map((feature) => (
              <li key={feature} className="rounded-xl bg-white p-5 ring-1 ring-zinc-200">
                <h3 className="font-semibold">{t(`features.${feature}.title`)}</h3>
                <p className="mt-1 text-sm text-zinc-600">{t(`features.${feature}.body`)}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer className="mx-auto max-w-6xl px-4 py-10 text-sm text-zinc-500 sm:px-6">{t("footer")}</footer>
    </div>
  );
}
