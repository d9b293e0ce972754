import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { AdminForbidden } from "@/components/admin/forbidden";
import { UserDetailActions } from "@/components/admin/user-detail-actions";
import { formatDateTime, tableClasses as t } from "@/components/admin/format";
import { BreakdownTable } from "@/components/usage/breakdown-table";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { adminPageUser } from "@/lib/admin/page-guard";
import { adminUserDetail } from "@/lib/admin/users";
import { getDb } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { displayUsd } from "@/lib/money";

export const metadata = { title: "User · Admin" };

const KIND_LABEL: Record<string, string> = {
  TOPUP: "Top-up",
  USAGE: "Usage",
  ADJUSTMENT: "Adjustment",
  REFUND: "Refund",
  REDEMPTION: "Code",
  SIGNUP_CREDIT: "Welcome credit",
};

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const { id } = await params;
  let detail: Awaited<ReturnType<typeof adminUserDetail>>;
  try {
    detail = await adminUserDetail(getDb(), id);
  } catch (error) {
    if (error instanceof UserError && error.status === 404) {
      return (
        <EmptyState title="User not found">
          No account has this id. <Link href="/admin/users" className="font-semibold text-indigo-600">Back to users</Link>
        </EmptyState>
      );
    }
    throw error;
  }
  const { user, ledger, usage, activeKeys } = detail;
  const summary: Array<[string, string]> = [
    ["Balance", displayUsd(BigInt(user.balance))],
    ["Spend (30 days)", displayUsd(usage.totals.cost)],
    ["Requests (30 days)", usage.totals.requests.toLocaleString("en-US")],
    ["Errors (30 days)", usage.totals.errors.toLocaleString("en-US")],
  ];

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="font-semibold text-indigo-600">
          ← Users
        </Link>
      </p>
      <PageHeader
        title={user.email}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {user.name ? <span>{user.name}</span> : null}
            {user.role === "ADMIN" ? <Badge tone="indigo">ADMIN</Badge> : <Badge>USER</Badge>}
            {user.disabled ? <Badge tone="red">DISABLED</Badge> : <Badge tone="green">active</Badge>}
            <span>
              Joined {formatDateTime(user.createdAt)} · last request {formatDateTime(user.lastRequestAt, "never")} · {activeKeys} active key{activeKeys === 1 ? "" : "s"}
            </span>
          </span>
        }
        actions={<UserDetailActions user={user} />}
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {summary.map(([label, value]) => (
          <Card key={label}>
            <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`user-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-$/, "")}`}>
              {value}
            </p>
          </Card>
        ))}
      </div>
      <p className="mt-2 text-xs text-zinc-500">
        Tokens in the last 30 days: {usage.totals.promptTokens.toLocaleString("en-US")} in / {usage.totals.completionTokens.toLocaleString("en-US")} out.
      </p>

      <div className="mt-6">
        <BreakdownTable title="Usage by model (last 30 days)" rows={usage.byModel.map((m) => ({ label: m.model, requests: m.requests, tokens: m.tokens, cost: m.cost }))} />
      </div>

      <h2 className="mt-8 mb-3 text-lg font-semibold">Ledger (last 50 entries)</h2>
      {ledger.length ? (
        <div className={t.wrapper}>
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>When</th>
                <th scope="col" className={t.th}>Type</th>
                <th scope="col" className={t.th}>Note</th>
                <th scope="col" className={`${t.th} text-right`}>Amount</th>
                <th scope="col" className={`${t.th} text-right`}>Balance after</th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {ledger.map((entry) => {
                const amount = BigInt(entry.amount);
                return (
                  <tr key={entry.id} data-testid="ledger-row">
                    <td className={`${t.td} whitespace-nowrap`}>{formatDateTime(entry.createdAt)}</td>
                    <td className={`${t.td} whitespace-nowrap`}>{KIND_LABEL[entry.kind] ?? entry.kind}</td>
                    <td className={t.td}>
                      {entry.note ?? "—"}
                      {entry.actorEmail ? <span className="block text-xs text-zinc-500">by {entry.actorEmail}</span> : null}
                    </td>
                    <td className={`${t.td} text-right whitespace-nowrap tabular-nums ${amount < 0n ? "text-red-700" : "text-emerald-700"}`}>
                      {amount > 0n ? "+" : ""}
                      {displayUsd(amount)}
                    </td>
                    <td className={`${t.td} text-right whitespace-nowrap tabular-nums`}>{displayUsd(BigInt(entry.balanceAfter))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No ledger entries">This user has had no top-ups, usage or adjustments yet.</EmptyState>
      )}
    </>
  );
}
