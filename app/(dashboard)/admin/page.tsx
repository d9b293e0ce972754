import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { AdminForbidden } from "@/components/admin/forbidden";
import { formatDateTime, formatPercent, tableClasses as t } from "@/components/admin/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { RedemptionCodesForm } from "@/components/admin/redemption-codes-form";
import { adminPageUser } from "@/lib/admin/page-guard";
import { systemOverview, type TopModel } from "@/lib/admin/overview";
import { getDb } from "@/lib/db/client";
import { displayUsd } from "@/lib/money";

export const metadata = { title: "Admin" };

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <Card>
      <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {detail ? <p className="mt-1 text-xs text-zinc-500">{detail}</p> : null}
    </Card>
  );
}

function ModelsTable({ title, rows, empty }: { title: string; rows: TopModel[]; empty: string }) {
  return (
    <div className={t.wrapper}>
      <table className={t.table}>
        <caption className="px-4 pt-3 text-left font-semibold">{title}</caption>
        <thead className="text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2">Model</th>
            <th scope="col" className="px-4 py-2 text-right">Requests</th>
            <th scope="col" className="px-4 py-2 text-right">Spend</th>
          </tr>
        </thead>
        <tbody className={t.body}>
          {rows.length ? (
            rows.map((row) => (
              <tr key={row.model}>
                <td className="px-4 py-2 font-mono text-xs">{row.model}</td>
                <td className="px-4 py-2 text-right tabular-nums">{row.requests.toLocaleString("en-US")}</td>
                <td className="px-4 py-2 text-right tabular-nums">{displayUsd(row.spend)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={3} className="px-4 py-6 text-center text-zinc-500">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export default async function AdminPage() {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const o = await systemOverview(getDb());
  const channelTotal = o.counts.channels.ENABLED + o.counts.channels.DISABLED + o.counts.channels.AUTO_DISABLED;

  return (
    <>
      <PageHeader title="Admin" description="How the platform is doing: traffic, errors, spend and top-ups." />

      <section aria-labelledby="traffic">
        <h2 id="traffic" className="sr-only">
          Traffic and counts
        </h2>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Stat label="Requests / min (5 min)" value={o.requestsPerMinute.last5Minutes.toLocaleString("en-US")} detail={`${o.requestsPerMinute.lastHour.toLocaleString("en-US")} / min over the last hour`} testId="rpm-5m" />
          <Stat label="Requests (24 h)" value={o.requests24h.toLocaleString("en-US")} testId="requests-24h" />
          <Stat label="Users" value={o.counts.users.toLocaleString("en-US")} detail={`${o.counts.admins} admin${o.counts.admins === 1 ? "" : "s"} · ${o.counts.disabledUsers} disabled`} testId="count-users" />
          <Stat label="Priced models" value={o.counts.pricedModels.toLocaleString("en-US")} testId="count-priced-models" />
        </div>
        <Card className="mt-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <CardTitle>
              Channels <span className="font-normal text-zinc-500">({channelTotal})</span>
            </CardTitle>
            <Link href="/admin/channels" className="text-sm font-semibold text-indigo-600">
              Manage channels →
            </Link>
          </div>
          <p className="mt-2 flex flex-wrap gap-2 text-sm" data-testid="channel-counts">
            <Badge tone="green">{o.counts.channels.ENABLED} enabled</Badge>
            <Badge>{o.counts.channels.DISABLED} disabled</Badge>
            <Badge tone={o.counts.channels.AUTO_DISABLED ? "red" : "gray"}>{o.counts.channels.AUTO_DISABLED} auto-disabled</Badge>
          </p>
        </Card>
      </section>

      <section aria-labelledby="errors" className="mt-8">
        <h2 id="errors" className="mb-3 text-lg font-semibold">
          Error rate by channel <span className="text-sm font-normal text-zinc-500">(last 24 h)</span>
        </h2>
        <div className={t.wrapper}>
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>Channel</th>
                <th scope="col" className={`${t.th} text-right`}>Requests</th>
                <th scope="col" className={`${t.th} text-right`}>Errors</th>
                <th scope="col" className={`${t.th} text-right`}>Error rate</th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {o.errorsByChannel.length ? (
                o.errorsByChannel.map((row) => (
                  <tr key={row.channelId ?? "none"} data-testid="channel-error-row">
                    <td className={t.td}>
                      {row.name ?? <span className="text-zinc-500">{row.channelId ? "(deleted channel)" : "(not routed: refused before any channel)"}</span>}
                      {row.status && row.status !== "ENABLED" ? (
                        <span className="ml-2">
                          <Badge tone={row.status === "AUTO_DISABLED" ? "red" : "gray"}>{row.status}</Badge>
                        </span>
                      ) : null}
                    </td>
                    <td className={`${t.td} text-right tabular-nums`}>{row.requests.toLocaleString("en-US")}</td>
                    <td className={`${t.td} text-right tabular-nums`}>{row.errors.toLocaleString("en-US")}</td>
                    <td className={`${t.td} text-right font-medium tabular-nums ${row.errorRate >= 0.05 ? "text-red-700" : ""}`}>{formatPercent(row.errorRate)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td colSpan={4} className="px-4 py-6 text-center text-zinc-500">
                    No requests in the last 24 hours.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="models" className="mt-8">
        <h2 id="models" className="mb-3 text-lg font-semibold">
          Top models <span className="text-sm font-normal text-zinc-500">(last 24 h)</span>
        </h2>
        <div className="grid gap-6 lg:grid-cols-2">
          <ModelsTable title="By requests" rows={o.topModelsByRequests} empty="No requests in the last 24 hours." />
          <ModelsTable title="By spend" rows={o.topModelsBySpend} empty="Nothing was spent in the last 24 hours." />
        </div>
      </section>

      <section aria-labelledby="topups" className="mt-8">
        <h2 id="topups" className="mb-3 text-lg font-semibold">
          Recent top-ups
        </h2>
        <div className={t.wrapper}>
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>When</th>
                <th scope="col" className={t.th}>User</th>
                <th scope="col" className={`${t.th} text-right`}>Amount</th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {o.recentTopUps.length ? (
                o.recentTopUps.map((p) => (
                  <tr key={p.id} data-testid="topup-row">
                    <td className={`${t.td} whitespace-nowrap`}>{formatDateTime(p.createdAt)}</td>
                    <td className={t.td}>
                      {p.email}
                      {p.autoRecharge ? <span className="ml-2 text-xs text-zinc-500">auto-recharge</span> : null}
                    </td>
                    <td className={`${t.td} text-right tabular-nums`}>{displayUsd(p.amount)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td colSpan={3} className="px-4 py-6 text-center text-zinc-500">
                    No paid top-ups yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="codes" className="mt-10 rounded-xl bg-white p-5 ring-1 ring-zinc-200">
        <h2 id="codes" className="mb-4 font-semibold">
          Redemption codes
        </h2>
        <RedemptionCodesForm />
      </section>
    </>
  );
}
