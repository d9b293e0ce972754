import Link from "next/link";
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
import { parseUsageFilters, requestLogPage, usageByDay, usageByKey, usageByModel, usageTotals } from "@/lib/usage/queries";

export const metadata = { title: "Usage" };

const DAY = 86_400_000;

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser();
  const params = await searchParams;
  const filters = parseUsageFilters(user.id, params);
  const db = getDb();
  const [totals, days, models, keys, log, allKeys] = await Promise.all([
    usageTotals(db, filters),
    usageByDay(db, filters),
    usageByModel(db, filters),
    usageByKey(db, filters),
    requestLogPage(db, filters, params.cursor ?? null),
    db.apiKey.findMany({ where: { userId: user.id }, select: { id: true, name: true }, orderBy: { createdAt: "desc" } }),
  ]);
  const from = filters.from.toISOString().slice(0, 10);
  const to = new Date(filters.to.getTime() - DAY).toISOString().slice(0, 10);
  const query = new URLSearchParams({ from, to, ...(filters.model ? { model: filters.model } : {}), ...(filters.apiKeyId ? { key: filters.apiKeyId } : {}), ...(filters.status ? { status: filters.status } : {}) });
  const errorRate = totals.requests ? ((totals.errors / totals.requests) * 100).toFixed(1) : "0.0";

  return (
    <>
      <PageHeader title="Usage" description="Requests, tokens and spend of your API keys, from the request log." />
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label="Filter usage">
        <div>
          <label htmlFor="from" className="block text-sm font-medium">From</label>
          <input id="from" name="from" type="date" defaultValue={from} className={`${inputClasses} mt-1.5`} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium">To</label>
          <input id="to" name="to" type="date" defaultValue={to} className={`${inputClasses} mt-1.5`} />
        </div>
        <div>
          <label htmlFor="model" className="block text-sm font-medium">Model</label>
          <input id="model" name="model" defaultValue={filters.model ?? ""} placeholder="all" className={`${inputClasses} mt-1.5 w-40`} />
        </div>
        <div>
          <label htmlFor="key" className="block text-sm font-medium">Key</label>
          <select id="key" name="key" defaultValue={filters.apiKeyId ?? ""} className={`${inputClasses} mt-1.5`}>
            <option value="">All keys</option>
            {allKeys.map((k) => (
              <option key={k.id} value={k.id}>{k.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="block text-sm font-medium">Status</label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={`${inputClasses} mt-1.5`}>
            <option value="">All</option>
            <option value="ok">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </div>
        <button type="submit" className={buttonClasses("primary")}>Apply</button>
        <a href={`/api/usage/requests.csv?${query}`} className={buttonClasses("secondary")}>Export CSV</a>
      </form>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[
          ["Spend", displayUsd(totals.cost)],
          ["Requests", totals.requests.toLocaleString()],
          ["Tokens in / out", `${totals.promptTokens.toLocaleString()} / ${totals.completionTokens.toLocaleString()}`],
          ["Error rate", `${errorRate}%`],
        ].map(([label, value]) => (
          <Card key={label}>
            <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`usage-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`}>{value}</p>
          </Card>
        ))}
      </div>

      {totals.requests === 0 ? (
        <div className="mt-6">
          <EmptyState title="No requests in this period">Calls you make to the /v1 API appear here with their tokens, cost and latency.</EmptyState>
        </div>
      ) : (
        <>
          <Card className="mt-6">
            <DayChart days={days} />
          </Card>
          <div className="mt-6 grid gap-6 lg:grid-cols-2">
            <BreakdownTable title="By model" rows={models.map((m) => ({ label: m.model, requests: m.requests, tokens: m.tokens, cost: m.cost }))} />
            <BreakdownTable title="By key" rows={keys.map((k) => ({ label: k.name, sublabel: k.prefix, requests: k.requests, tokens: k.tokens, cost: k.cost }))} />
          </div>
          <h2 className="mt-8 mb-3 text-lg font-semibold">Request log</h2>
          <RequestLogTable rows={log.rows.map((r) => ({ ...r, keyName: r.apiKey?.name ?? null }))} />
          <nav aria-label="Request log pages" className="mt-3 flex justify-between text-sm">
            {params.cursor ? <Link href={`/usage?${query}`} className="font-semibold text-indigo-600">← Newest</Link> : <span />}
            {log.nextCursor ? <Link href={`/usage?${query}&cursor=${log.nextCursor}`} className="font-semibold text-indigo-600">Older →</Link> : null}
          </nav>
        </>
      )}
    </>
  );
}
