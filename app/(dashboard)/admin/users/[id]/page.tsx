import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { AdminForbidden } from "@/components/admin/forbidden";
import { UserDetailActions } from "@/components/admin/user-detail-actions";
import { formatDateTime, tableClasses as tc } from "@/components/admin/format";
import { BreakdownTable } from "@/components/usage/breakdown-table";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { adminPageUser } from "@/lib/admin/page-guard";
import { adminUserDetail } from "@/lib/admin/users";
import { failedOnly } from "@/lib/usage/queries";
import { getDb } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { displayUsd } from "@/lib/money";
import { TableScroll } from "@/components/ui/table-scroll";

export async function generateMetadata() {
  const t = await getTranslations("admin.meta");
  return { title: t("user") };
}

const KINDS = ["TOPUP", "USAGE", "ADJUSTMENT", "REFUND", "REDEMPTION", "SIGNUP_CREDIT"] as const;
const isKnownKind = (kind: string): kind is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(kind);

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const { id } = await params;
  const [t, tr, tf, format] = await Promise.all([
    getTranslations("admin.userDetail"),
    getTranslations("admin.roles"),
    getTranslations("admin.format"),
    getFormatter(),
  ]);
  let detail: Awaited<ReturnType<typeof adminUserDetail>>;
  try {
    detail = await adminUserDetail(getDb(), id);
  } catch (error) {
    if (error instanceof UserError && error.status === 404) {
      return (
        <EmptyState title={t("notFoundTitle")}>
          {t.rich("notFoundBody", {
            link: (chunks) => (
              <Link href="/admin/users" className="font-semibold text-indigo-600">
                {chunks}
              </Link>
            ),
          })}
        </EmptyState>
      );
    }
    throw error;
  }
  const { user, ledger, usage, activeKeys } = detail;
  // [test id, label, value]: the test ids stay the same in every language.
  const summary: Array<[string, string, string]> = [
    ["user-balance", t("balance"), displayUsd(BigInt(user.balance))],
    ["user-spend-30-days", t("spend30"), displayUsd(usage.totals.cost)],
    ["user-requests-30-days", t("requests30"), format.number(usage.totals.requests)],
    ["user-errors-30-days", t("errors30"), format.number(usage.totals.errors)],
  ];

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="font-semibold text-indigo-600">
          {t("back")}
        </Link>
      </p>
      <PageHeader
        title={user.email}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {user.name ? <span>{user.name}</span> : null}
            {user.role === "ADMIN" ? <Badge tone="indigo">{tr("ADMIN")}</Badge> : <Badge>{tr("USER")}</Badge>}
            {user.disabled ? <Badge tone="red">{tr("disabled")}</Badge> : <Badge tone="green">{tr("active")}</Badge>}
            <span>
              {t("joined", {
                joined: formatDateTime(format, user.createdAt),
                lastRequest: formatDateTime(format, user.lastRequestAt, tf("never")),
                keys: activeKeys,
              })}
            </span>
          </span>
        }
        actions={<UserDetailActions user={user} />}
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {summary.map(([testId, label, value]) => (
          <Card key={testId}>
            <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
              {value}
            </p>
          </Card>
        ))}
      </div>
      <p className="mt-2 text-xs text-zinc-500">
        {t("tokens30", { input: format.number(usage.totals.promptTokens), output: format.number(usage.totals.completionTokens) })}
      </p>

      <div className="mt-6">
        <BreakdownTable title={t("usageByModel")} rows={usage.byModel.map((m) => ({ label: m.model, requests: m.requests, tokens: m.tokens, cost: m.cost, failedOnly: failedOnly(m) }))} />
      </div>

      <h2 className="mt-8 mb-3 text-lg font-semibold">{t("ledgerHeading")}</h2>
      {ledger.length ? (
        <TableScroll label={t("ledgerHeading")}>
          <table className={tc.table}>
            <thead className={tc.head}>
              <tr>
                <th scope="col" className={tc.th}>{t("columns.when")}</th>
                <th scope="col" className={tc.th}>{t("columns.type")}</th>
                <th scope="col" className={tc.th}>{t("columns.note")}</th>
                <th scope="col" className={`${tc.th} text-right`}>{t("columns.amount")}</th>
                <th scope="col" className={`${tc.th} text-right`}>{t("columns.balanceAfter")}</th>
              </tr>
            </thead>
            <tbody className={tc.body}>
              {ledger.map((entry) => {
                const amount = BigInt(entry.amount);
                return (
                  <tr key={entry.id} data-testid="ledger-row">
                    <td className={`${tc.td} whitespace-nowrap`}>{formatDateTime(format, entry.createdAt)}</td>
                    <td className={`${tc.td} whitespace-nowrap`}>{isKnownKind(entry.kind) ? t(`kinds.${entry.kind}`) : entry.kind}</td>
                    <td className={tc.td}>
                      {entry.note ?? "—"}
                      {entry.actorEmail ? <span className="block text-xs text-zinc-500">{t("by", { email: entry.actorEmail })}</span> : null}
                    </td>
                    <td className={`${tc.td} text-right whitespace-nowrap tabular-nums ${amount < 0n ? "text-red-700" : "text-emerald-700"}`}>
                      {amount > 0n ? "+" : ""}
                      {displayUsd(amount)}
                    </td>
                    <td className={`${tc.td} text-right whitespace-nowrap tabular-nums`}>{displayUsd(BigInt(entry.balanceAfter))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <EmptyState title={t("noLedgerTitle")}>{t("noLedgerBody")}</EmptyState>
      )}
    </>
  );
}
