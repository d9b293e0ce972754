import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { Card, CardTitle } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { DayChart } from "@/components/usage/day-chart";
import { BreakdownTable } from "@/components/usage/breakdown-table";
import { RequestLogTable } from "@/components/usage/request-log-table";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { displayUsd } from "@/lib/money";
import { failedOnly, parseUsageFilters, requestLogPage, usageSummary } from "@/lib/usage/queries";

export async function generateMetadata() {
  const t = await getTranslations("usage.metadata");
  return { title: t("title") };
}

const DAY = 86_400_000;

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser();
  const params = await searchParams;
  const filters = parseUsageFilters(user.id, params);
  const db = getDb();
  // One pass over the range for every chart (usageSummary), not one per chart.
  const [{ totals, days, models, keys }, log, allKeys] = await Promise.all([
    usageSummary(db, filters),
    requestLogPage(db, filters, params.cursor ?? null),
    db.apiKey.findMany({ where: { userId: user.id }, select: { id: true, name: true }, orderBy: { createdAt: "desc" } }),
  ]);
  const from = filters.from.toISOString().slice(0, 10);
  const to = new Date(filters.to.getTime() - DAY).toISOString().slice(0, 10);
  const query = new URLSearchParams({ from, to, ...(filters.model ? { model: filters.model } : {}), ...(filters.apiKeyId ? { key: filters.apiKeyId } : {}), ...(filters.status ? { status: filters.status } : {}) });
  const [t, format] = await Promise.all([getTranslations("usage"), getFormatter()]);
  const errorRate = totals.requests ? totals.errors / totals.requests : 0;

  return (
    <>
      <PageHeader title={t("page.title")} description={t("page.description")} />
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t("filters.label")}>
        <div>
          <label htmlFor="from" className="block text-sm font-medium">{t("filters.from")}</label>
          <input id="from" name="from" type="date" defaultValue={from} className={`${inputClasses} mt-1.5`} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium">{t("filters.to")}</label>
          <input id="to" name="to" type="date" defaultValue={to} className={`${inputClasses} mt-1.5`} />
        </div>
        <div>
          <label htmlFor="model" className="block text-sm font-medium">{t("filters.model")}</label>
          <input id="model" name="model" defaultValue={filters.model ?? ""} placeholder={t("filters.modelPlaceholder")} className={`${inputClasses} mt-1.5 w-40`} />
        </div>
        <div>
          <label htmlFor="key" className="block text-sm font-medium">{t("filters.key")}</label>
          {/* A fixed width: the longest key name would otherwise widen the form and push its buttons to a new line. */}
          <select id="key" name="key" defaultValue={filters.apiKeyId ?? ""} className={`${inputClasses} mt-1.5 w-48 max-w-full`}>
            <option value="">{t("filters.allKeys")}</option>
            {allKeys.map((k) => (
              <option key={k.id} value={k.id}>{k.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="block text-sm font-medium">{t("filters.status")}</label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={`${inputClasses} mt-1.5`}>
            <option value="">{t("filters.allStatuses")}</option>
            <option value="ok">{t("status.ok")}</option>
            <option value="error">{t("status.error")}</option>
          </select>
        </div>
        <div className="flex gap-3">
          <button type="submit" className={buttonClasses("primary")}>{t("filters.apply")}</button>
          <a href={`/api/usage/requests.csv?${query}`} className={buttonClasses("secondary")}>{t("filters.exportCsv")}</a>
        </div>
      </form>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[
          { id: "spend", label: t("totals.spend"), value: displayUsd(totals.cost) },
          { id: "requests", label: t("totals.requests"), value: format.number(totals.requests) },
          { id: "tokens-in-out", label: t("totals.tokens"), value: `${format.number(totals.promptTokens)} / ${format.number(totals.completionTokens)}` },
          { id: "error-rate", label: t("totals.errorRate"), value: format.number(errorRate, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }) },
        ].map(({ id, label, value }) => (
          <Card key={id}>
            <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`usage-${id}`}>{value}</p>
          </Card>
        ))}
      </div>

      {totals.requests === 0 ? (
        <div className="mt-6">
          <EmptyState title={t("empty.title")}>{t("empty.body")}</EmptyState>
        </div>
      ) : (
        <>
          <Card className="mt-6">
            <DayChart days={days} />
          </Card>
          <div className="mt-6 grid gap-6 lg:grid-cols-2">
            <BreakdownTable title={t("breakdown.byModel")} rows={models.map((m) => ({ label: m.model, requests: m.requests, tokens: m.tokens, cost: m.cost, failedOnly: failedOnly(m) }))} />
            <BreakdownTable title={t("breakdown.byKey")} rows={keys.map((k) => ({ label: k.name, sublabel: k.prefix, requests: k.requests, tokens: k.tokens, cost: k.cost }))} />
          </div>
          <h2 className="mt-8 mb-3 text-lg font-semibold">{t("log.title")}</h2>
          <RequestLogTable rows={log.rows.map((r) => ({ ...r, keyName: r.apiKey?.name ?? null }))} />
          <nav aria-label={t("log.pages")} className="mt-3 flex justify-between text-sm">
            {params.cursor ? <Link href={`/usage?${query}`} className="font-semibold text-indigo-600">{t("log.newest")}</Link> : <span />}
            {log.nextCursor ? <Link href={`/usage?${query}&cursor=${log.nextCursor}`} className="font-semibold text-indigo-600">{t("log.older")}</Link> : null}
          </nav>
        </>
      )}
    </>
  );
}
