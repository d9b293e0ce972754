import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { MethodBadge } from "@/components/docs/docs-nav";
import { EndpointSnippets } from "@/components/docs/endpoint-snippets";
import { endpointKey } from "@/components/docs/endpoint-key";
import { KeyPicker } from "@/components/docs/key-picker";
import { TryIt } from "@/components/docs/try-it";
import { CodeBlock } from "@/components/portal/code-block";
import { PageHeader } from "@/components/portal/page-header";
import { PathText } from "@/components/docs/break-points";
import { getCurrentUser } from "@/lib/auth/session";
import { authPageHref } from "@/lib/auth/callback-url";
import { DOCS_ENDPOINTS, displayPath } from "@/lib/docs/reference";
import { publicOrigin } from "@/lib/http/base-url";
import type { ReactNode } from "react";

export async function generateMetadata(): Promise<Metadata> {
  const [t, origin] = await Promise.all([getTranslations("docs"), publicOrigin()]);
  return { title: t("metadata.title"), description: t("quickstart.description", { baseUrl: `${origin}/v1` }) };
}

const linkClasses = "font-medium text-indigo-600 hover:text-indigo-500";
const code = (chunks: ReactNode) => <code className="rounded bg-zinc-100 px-1 font-mono text-[0.9em]">{chunks}</code>;

function Step({ n, title, label, children }: { n: number; title: string; label: string; children: ReactNode }) {
  return (
    <li className="relative grid min-w-0 grid-cols-1 gap-3 rounded-xl bg-white p-4 shadow-xs ring-1 ring-zinc-200 sm:p-5" data-testid="quickstart-step">
      <div className="flex items-center gap-3">
        <span aria-hidden="true" className="grid size-8 shrink-0 place-items-center rounded-full bg-indigo-50 text-sm font-semibold text-indigo-700">
          {n}
        </span>
        <h2 className="text-base font-semibold text-zinc-900">
          <span className="sr-only">{label} </span>
          {title}
        </h2>
      </div>
      {children}
    </li>
  );
}

export default async function DocsPage() {
  // Public: a visitor reads the same quickstart, invited to register instead of greeted.
  const [user, t, origin] = await Promise.all([getCurrentUser(), getTranslations("docs"), publicOrigin()]);
  const baseUrl = `${origin}/v1`;
  return (
    <>
      <PageHeader title={t("quickstart.title")} description={t("quickstart.description", { baseUrl })} />
      <ol className="grid grid-cols-1 gap-5">
        <Step n={1} label={t("quickstart.stepLabel", { n: 1 })} title={t("quickstart.register.title")}>
          <p className="text-sm text-zinc-600" data-testid="quickstart-register">
            {user
              ? t("quickstart.register.done", { email: user.email })
              : t.rich("quickstart.register.visitor", {
                  signUp: (chunks) => <Link href={authPageHref("/sign-up", "/docs")} className={linkClasses}>{chunks}</Link>,
                  signIn: (chunks) => <Link href={authPageHref("/sign-in", "/docs")} className={linkClasses}>{chunks}</Link>,
                })}
          </p>
        </Step>
        <Step n={2} label={t("quickstart.stepLabel", { n: 2 })} title={t("quickstart.key.title")}>
          <p className="text-sm text-zinc-600">
            {t.rich("quickstart.key.body", { link: (chunks) => <Link href="/keys" className={linkClasses}>{chunks}</Link> })}
          </p>
          <KeyPicker />
        </Step>
        <Step n={3} label={t("quickstart.stepLabel", { n: 3 })} title={t("quickstart.endpoint.title")}>
          <p className="text-sm text-zinc-600">{t("quickstart.endpoint.body")}</p>
          <CodeBlock label={t("quickstart.baseUrl")} code={baseUrl} testId="base-url" />
          <ul className="grid grid-cols-1 gap-1 sm:grid-cols-2">
            {DOCS_ENDPOINTS.map((e) => (
              <li key={e.slug} className="min-w-0">
                <Link href={`/docs/${e.slug}`} className="flex min-w-0 items-baseline gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-50">
                  <MethodBadge method={e.method} />
                  <span className="min-w-0">
                    <span className="font-medium text-zinc-900">{t(`endpoints.${endpointKey(e.slug)}.name`)}</span>{" "}
                    <code className="font-mono text-xs text-zinc-500">
                      <PathText path={displayPath(e)} />
                    </code>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </Step>
        <Step n={4} label={t("quickstart.stepLabel", { n: 4 })} title={t("quickstart.call.title")}>
          <p className="text-sm text-zinc-600">{t.rich("quickstart.call.body", { code })}</p>
          <EndpointSnippets slug="chat-completions" />
          <TryIt slug="chat-completions" />
        </Step>
      </ol>
      <p className="mt-8 text-sm text-zinc-600">
        {t.rich("quickstart.openapi", { link: (chunks) => <a href="/openapi.json" className={linkClasses}>{chunks}</a> })}
      </p>
    </>
  );
}
