import { TableScroll } from "@/components/ui/table-scroll";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
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

const STATUSES = ["ENABLED", "DISABLED", "AUTO_DISABLED"] as const;
const isStatus = (status: string): status is (typeof STATUSES)[number] => (STATUSES as readonly string[]).includes(status);

export async function generateMetadata() {
  const tr = await getTranslations("admin.meta");
  return { title: tr("overview") };
}

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

async function ModelsTable({ title, rows, empty }: { title: string; rows: TopModel[]; empty: string }) {
  const [tr, format] = await Promise.all([getTranslations("admin.overview"), getFormatter()]);
  return (
    <TableScroll label={title}>
      <table className={t.table}>
        <caption className="px-4 pt-3 text-left font-semibold">{title}</caption>
        <thead className="text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2">{tr("model")}</th>
            <th scope="col" className="px-4 py-2 text-right">{tr("requests")}</th>
            <th scope="col" className="px-4 py-2 text-right">{tr("spend")}</th>
          </tr>
        </thead>
        <tbody className={t.body}>
          {rows.length ? (
            rows.map((row) => (
              <tr key={row.model}>
                <td className="px-4 py-2 font-mono text-xs">{row.model}</td>
                <td className="px-4 py-2 text-right tabular-nums">{format.number(row.requests)}</td>
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
    </TableScroll>
  );
}

export default async function AdminPage() {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const [o, tr, ts, format] = await Promise.all([systemOverview(getDb()), getTranslations("admin.overview"), getTranslations("admin.status"), getFormatter()]);
  const channelTotal = o.counts.channels.ENABLED + o.counts.channels.DISABLED + o.counts.channels.AUTO_DISABLED;
  const n = (value: number) => format.number(value);

  return (
    <>
      <PageHeader title={tr("title")} description={tr("description")} />

      <section aria-labelledby="traffic">
        <h2 id="traffic" className="sr-only">
          {tr("trafficHeading")}
        </h2>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Stat label={tr("rpm5m")} value={n(o.requestsPerMinute.last5Minutes)} detail={tr("rpmHour", { rate: n(o.requestsPerMinute.lastHour) })} testId="rpm-5m" />
          <Stat label={tr("requests24h")} value={n(o.requests24h)} testId="requests-24h" />
          <Stat label={tr("users")} value={n(o.counts.users)} detail={tr("usersDetail", { admins: o.counts.admins, disabled: n(o.counts.disabledUsers) })} testId="count-users" />
          <Stat label={tr("pricedModels")} value={n(o.counts.pricedModels)} testId="count-priced-models" />
        </div>
        <Card className="mt-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <CardTitle>
              {tr("channels")} <span className="font-normal text-zinc-500">({n(channelTotal)})</span>
            </CardTitle>
            <Link href="/admin/channels" className="text-sm font-semibold text-indigo-600">
              {tr("manageChannels")}
            </Link>
          </div>
          <p className="mt-2 flex flex-wrap gap-2 text-sm" data-testid="channel-counts">
            <Badge tone="green">{tr("enabledCount", { count: n(o.counts.channels.ENABLED) })}</Badge>
            <Badge>{tr("disabledCount", { count: n(o.counts.channels.DISABLED) })}</Badge>
            <Badge tone={o.counts.channels.AUTO_DISABLED ? "red" : "gray"}>{tr("autoDisabledCount", { count: n(o.counts.channels.AUTO_DISABLED) })}</Badge>
          </p>
        </Card>
      </section>

      <section aria-labelledby="errors" className="mt-8">
        <h2 id="errors" className="mb-3 text-lg font-semibold">
          {tr("errorsHeading")} <span className="text-sm font-normal text-zinc-500">{tr("last24h")}</span>
        </h2>
        <TableScroll labelledBy="errors">
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>{tr("channel")}</th>
                <th scope="col" className={`${t.th} text-right`}>{tr("requests")}</th>
                <th scope="col" className={`${t.th} text-right`}>{tr("errors")}</th>
                <th scope="col" className={`${t.th} text-right`}>{tr("errorRate")}</th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {o.errorsByChannel.length ? (
                o.errorsByChannel.map((row) => (
                  <tr key={row.channelId ?? "none"} data-testid="channel-error-row">
                    <td className={t.td}>
                      {row.name ?? <span className="text-zinc-500">{row.channelId ? tr("deletedChannel") : tr("notRouted")}</span>}
                      {row.status && row.status !== "ENABLED" ? (
                        <span className="ml-2">
                          <Badge tone={row.status === "AUTO_DISABLED" ? "red" : "gray"}>{isStatus(row.status) ? ts(row.status) : row.status}</Badge>
                        </span>
                      ) : null}
                    </td>
                    <td className={`${t.td} text-right tabular-nums`}>{n(row.requests)}</td>
                    <td className={`${t.td} text-right tabular-nums`}>{n(row.errors)}</td>
                    <td className={`${t.td} text-right font-medium tabular-nums ${row.errorRate >= 0.05 ? "text-red-700" : ""}`}>{formatPercent(format, row.errorRate)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td colSpan={4} className="px-4 py-6 text-center text-zinc-500">
                    {tr("noRequests")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
      </section>

      <section aria-labelledby="models" className="mt-8">
        <h2 id="models" className="mb-3 text-lg font-semibold">
          {tr("topModelsHeading")} <span className="text-sm font-normal text-zinc-500">{tr("last24h")}</span>
        </h2>
        <div className="grid gap-6 lg:grid-cols-2">
          <ModelsTable title={tr("byRequests")} rows={o.topModelsByRequests} empty={tr("noRequests")} />
          <ModelsTable title={tr("bySpend")} rows={o.topModelsBySpend} empty={tr("nothingSpent")} />
        </div>
      </section>

      <section aria-labelledby="topups" className="mt-8">
        <h2 id="topups" className="mb-3 text-lg font-semibold">
          {tr("topUpsHeading")}
        </h2>
        <TableScroll labelledBy="topups">
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>{tr("when")}</th>
                <th scope="col" className={t.th}>{tr("user")}</th>
                <th scope="col" className={`${t.th} text-right`}>{tr("amount")}</th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {o.recentTopUps.length ? (
                o.recentTopUps.map((p) => (
                  <tr key={p.id} data-testid="topup-row">
                    <td className={`${t.td} whitespace-nowrap`}>{formatDateTime(format, p.createdAt)}</td>
                    <td className={t.td}>
                      {p.email}
                      {p.autoRecharge ? <span className="ml-2 text-xs text-zinc-500">{tr("autoRecharge")}</span> : null}
                    </td>
                    <td className={`${t.td} text-right tabular-nums`}>{displayUsd(p.amount)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td colSpan={3} className="px-4 py-6 text-center text-zinc-500">
                    {tr("noTopUps")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </TableScroll>
      </section>

      <section aria-labelledby="codes" className="mt-10 rounded-xl bg-white p-5 ring-1 ring-zinc-200">
        <h2 id="codes" className="mb-4 font-semibold">
          {tr("codesHeading")}
        </h2>
        <RedemptionCodesForm />
      </section>
    </>
  );
}
