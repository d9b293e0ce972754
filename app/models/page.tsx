import Link from "next/link";
import { Logo } from "@/components/portal/logo";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/portal/empty-state";
import { getDb } from "@/lib/db/client";
import { perMillion, publicModels } from "@/lib/prices/public-models";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata = { title: "Models & pricing" };
export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  const [models, user] = await Promise.all([publicModels(getDb()), getCurrentUser()]);
  return (
    <div className="min-h-screen">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-4 py-5 sm:px-6">
        <Logo />
        <Link href={user ? "/dashboard" : "/sign-up"} className={buttonClasses("primary")}>
          {user ? "Dashboard" : "Get started"}
        </Link>
      </header>
      <main className="mx-auto max-w-6xl px-4 pb-16 sm:px-6">
        <h1 className="text-3xl font-bold tracking-tight">Models & pricing</h1>
        <p className="mt-2 max-w-2xl text-zinc-600">
          Prices per million tokens, billed per request to the micro-dollar. Cached input tokens are billed at the cached price where one is
          set. Every model works with both <code>/v1/chat/completions</code> and <code>/v1/responses</code>.
        </p>
        {models.length ? (
          <div className="mt-8 overflow-x-auto rounded-xl bg-white ring-1 ring-zinc-200">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-3">Model</th>
                  <th scope="col" className="px-4 py-3 text-right">Input / 1M</th>
                  <th scope="col" className="px-4 py-3 text-right">Cached input / 1M</th>
                  <th scope="col" className="px-4 py-3 text-right">Output / 1M</th>
                  <th scope="col" className="px-4 py-3">Endpoints</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {models.map((m) => (
                  <tr key={m.model} data-testid="model-row">
                    <td className="px-4 py-3 font-mono whitespace-nowrap">
                      {m.model} {m.available ? null : <Badge tone="amber">unavailable</Badge>}
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">{perMillion(m.inputPrice)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{m.cachedInputPrice === null ? perMillion(m.inputPrice) : perMillion(m.cachedInputPrice)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{perMillion(m.outputPrice)}</td>
                    <td className="px-4 py-3 text-xs whitespace-nowrap text-zinc-600">
                      chat.completions · responses{m.nativeResponses ? " (native)" : ""}
                      {m.provider === "sandbox" ? <span className="ml-2"><Badge tone="indigo">sandbox</Badge></span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <div className="mt-8">
            <EmptyState title="No models published yet">An administrator adds channels and prices in the admin console.</EmptyState>
          </div>
        )}
      </main>
    </div>
  );
}
