import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/portal/site-header";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/portal/empty-state";
import { getDb } from "@/lib/db/client";
import { perMillion, publicModels } from "@/lib/prices/public-models";
import { getCurrentUser } from "@/lib/auth/session";
import { ScrollArea } from "@/components/ui/scroll-area";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("models");
  return { title: t("title") };
}
export const dynamic = "force-dynamic";

/** API names, the same in every language. Models are not typed: an embedding model is told by its name. */
const ENDPOINTS = "chat.completions · responses";
const EMBEDDING_ENDPOINTS = "embeddings";
const endpointsOf = (model: string) => (/embed/i.test(model) ? EMBEDDING_ENDPOINTS : ENDPOINTS);

export default async function ModelsPage() {
  const [models, user, t] = await Promise.all([publicModels(getDb()), getCurrentUser(), getTranslations("models")]);
  const price = (micros: bigint) => (micros === 0n ? t("free") : perMillion(micros));
  // The cache-write column appears once some model has a cache-write price.
  const cacheWrites = models.some((m) => m.cacheWritePrice !== null || m.cacheWrite1hPrice !== null);
  return (
    <div className="min-h-screen">
      <SiteHeader signedIn={user !== null} />
      <main className="mx-auto max-w-6xl px-4 pb-16 sm:px-6">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="mt-2 max-w-2xl text-zinc-600">
          {t.rich("intro", {
            chat: "/v1/chat/completions",
            responses: "/v1/responses",
            embeddings: "/v1/embeddings",
            code: (chunks) => <code>{chunks}</code>,
          })}
        </p>
        {models.length ? (
          <ScrollArea label={t("title")} className="mt-8 rounded-xl bg-white ring-1 ring-zinc-200">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-3">{t("table.model")}</th>
                  <th scope="col" className="px-4 py-3 text-right">{t("table.input")}</th>
                  <th scope="col" className="px-4 py-3 text-right">{t("table.cachedInput")}</th>
                  {cacheWrites ? <th scope="col" className="px-4 py-3 text-right">{t("table.cacheWrite")}</th> : null}
                  <th scope="col" className="px-4 py-3 text-right">{t("table.output")}</th>
                  <th scope="col" className="px-4 py-3">{t("table.endpoints")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {models.map((m) => (
                  <tr key={m.model} data-testid="model-row">
                    <td className="px-4 py-3 font-mono whitespace-nowrap">
                      {m.model} {m.available ? null : <Badge tone="amber">{t("unavailable")}</Badge>}
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">{price(m.inputPrice)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{price(m.cachedInputPrice ?? m.inputPrice)}</td>
                    {cacheWrites ? (
                      <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums" data-testid="cache-write">
                        {m.cacheWritePrice === null && m.cacheWrite1hPrice === null ? (
                          <span className="text-zinc-500">{t("asInput")}</span>
                        ) : (
                          t("cacheWriteRates", {
                            fiveMinutes: price(m.cacheWritePrice ?? m.inputPrice),
                            oneHour: price(m.cacheWrite1hPrice ?? m.cacheWritePrice ?? m.inputPrice),
                          })
                        )}
                      </td>
                    ) : null}
                    <td className="px-4 py-3 text-right tabular-nums">{price(m.outputPrice)}</td>
                    <td className="px-4 py-3 text-xs whitespace-nowrap text-zinc-600">
                      {endpointsOf(m.model)}
                      {m.nativeResponses ? ` ${t("native")}` : ""}
                      {m.provider === "sandbox" ? <span className="ml-2"><Badge tone="indigo">{t("sandbox")}</Badge></span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        ) : (
          <div className="mt-8">
            <EmptyState title={t("empty.title")}>{t("empty.body")}</EmptyState>
          </div>
        )}
      </main>
    </div>
  );
}
