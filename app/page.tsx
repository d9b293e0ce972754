import Link from "next/link";
import { Logo } from "@/components/portal/logo";
import { OnboardingSteps } from "@/components/portal/onboarding-steps";
import { CodeBlock } from "@/components/portal/code-block";
import { buttonClasses } from "@/components/ui/button";
import { nodeQuickstart } from "@/lib/docs/snippets";
import { publicOrigin } from "@/lib/http/base-url";
import { getCurrentUser } from "@/lib/auth/session";

const FEATURES = [
  { title: "OpenAI-compatible", body: "Keep the official SDKs. Chat Completions, Responses and Models behave exactly like OpenAI's, streaming included." },
  { title: "Exact billing", body: "Every token metered and billed in integer micro-dollars against a prepaid balance, with an append-only ledger." },
  { title: "Many upstreams", body: "Route to OpenAI, any OpenAI-compatible server, Anthropic or Gemini with priorities, weights and automatic failover." },
  { title: "Yours to run", body: "Open source, one process, SQLite by default and PostgreSQL in production. No vendor in the middle." },
];

export default async function LandingPage() {
  const [origin, user] = await Promise.all([publicOrigin(), getCurrentUser()]);
  return (
    <div className="min-h-screen">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-4 py-5 sm:px-6">
        <Logo />
        <nav aria-label="Main" className="flex items-center gap-2">
          <Link href="/models" className={buttonClasses("ghost")}>
            Pricing
          </Link>
          {user ? (
            <Link href="/dashboard" className={buttonClasses("primary")}>
              Dashboard
            </Link>
          ) : (
            <>
              <Link href="/sign-in" className={buttonClasses("ghost")}>
                Sign in
              </Link>
              <Link href="/sign-up" className={buttonClasses("primary")}>
                Get started
              </Link>
            </>
          )}
        </nav>
      </header>

      <main>
        <section className="mx-auto grid max-w-6xl items-center gap-10 px-4 py-12 sm:px-6 lg:grid-cols-2 lg:py-20">
          <div>
            <h1 className="text-4xl font-bold tracking-tight text-zinc-900 sm:text-5xl">One API key for every model.</h1>
            <p className="mt-5 text-lg text-zinc-600">
              RootAPI is an open-source, self-hostable AI API platform: an OpenAI-compatible gateway in front of the providers you choose,
              with per-token billing, usage analytics and a portal your developers enjoy.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link href={user ? "/keys" : "/sign-up"} className={buttonClasses("primary")}>
                {user ? "Create an API key" : "Create your account"}
              </Link>
              <Link href="/docs" className={buttonClasses("secondary")}>
                Read the docs
              </Link>
            </div>
          </div>
          <CodeBlock label="Node.js — the official openai SDK" code={nodeQuickstart(origin)} />
        </section>

        <section aria-labelledby="steps" className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
          <h2 id="steps" className="text-2xl font-semibold tracking-tight">
            Start in four steps
          </h2>
          <div className="mt-6">
            <OnboardingSteps />
          </div>
        </section>

        <section aria-labelledby="why" className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
          <h2 id="why" className="text-2xl font-semibold tracking-tight">
            Why RootAPI
          </h2>
          <ul className="mt-6 grid gap-4 sm:grid-cols-2">
            {FEATURES.map((f) => (
              <li key={f.title} className="rounded-xl bg-white p-5 ring-1 ring-zinc-200">
                <h3 className="font-semibold">{f.title}</h3>
                <p className="mt-1 text-sm text-zinc-600">{f.body}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer className="mx-auto max-w-6xl px-4 py-10 text-sm text-zinc-500 sm:px-6">RootAPI — open source, self-hostable.</footer>
    </div>
  );
}
