import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { LOG_TIME, MILLISECONDS, statusKey } from "@/components/usage/format";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { displayUsd } from "@/lib/money";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  const [{ id }, t] = await Promise.all([params, getTranslations("usage.metadata")]);
  return { title: t("requestTitle", { id }) };
}

export default async function RequestDetailPage({ params }: Props) {
  const user = await requirePageUser();
  const { id } = await params;
  const row = await getDb().requestLog.findFirst({ where: { id, userId: user.id }, include: { apiKey: { select: { name: true, prefix: true } } } });
  if (!row) notFound();
  const [t, ts, format] = await Promise.all([getTranslations("usage.detail"), getTranslations("usage.status"), getFormatter()]);
  const iso = row.createdAt.toISOString();
  const fields: Array<[string, ReactNode]> = [
    [t("time"), <time key="time" dateTime={iso} title={iso}>{format.dateTime(row.createdAt, LOG_TIME)}</time>],
    [t("key"), row.apiKey ? `${row.apiKey.name} (${row.apiKey.prefix})` : "—"],
    [t("endpoint"), row.stream ? t("streamEndpoint", { endpoint: row.endpoint }) : row.endpoint],
    [t("model"), row.model ?? "—"],
    [t("upstreamModel"), row.upstreamModel ?? "—"],
    [t("status"), `${row.status} · ${ts(statusKey(row.status))}`],
    [t("promptTokens"), t("promptTokensValue", { tokens: format.number(row.promptTokens), cached: format.number(row.cachedTokens) })],
    [t("cacheWrites"), t("cacheWritesValue", { tokens: format.number(row.cacheWriteTokens), oneHour: format.number(row.cacheWrite1hTokens) })],
    [t("completionTokens"), t("completionTokensValue", { tokens: format.number(row.completionTokens), reasoning: format.number(row.reasoningTokens) })],
    [t("countedBy"), row.estimated ? t("countedLocally") : t("countedUpstream")],
    [t("cost"), t("costValue", { usd: displayUsd(row.cost), micros: row.cost.toString() })],
    [t("latency"), format.number(row.latencyMs, MILLISECONDS)],
    [t("ttfb"), row.ttfbMs === null ? "—" : format.number(row.ttfbMs, MILLISECONDS)],
    [t("attempts"), format.number(row.attempts)],
    [t("error"), row.errorMessage ? `${row.errorCode}: ${row.errorMessage}` : "—"],
  ];
  return (
    <>
      <PageHeader
        title={t("title")}
        actions={
          <Link href="/usage" className="text-sm font-semibold text-indigo-600 hover:text-indigo-500">
            {t("back")}
          </Link>
        }
      />
      <Card className="mb-6">
        <h2 className="text-sm font-medium text-zinc-600">{t("requestId")}</h2>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <code className="text-lg font-semibold wrap-anywhere" data-testid="request-id">
            {row.id}
          </code>
          <CopyButton value={row.id} label={t("copyId")} />
        </div>
        <p className="mt-2 text-sm text-zinc-600">{t("requestIdHint")}</p>
      </Card>
      <Card>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
          {fields.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-medium text-zinc-600">{label}</dt>
              <dd className="font-mono wrap-anywhere">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </>
  );
}
