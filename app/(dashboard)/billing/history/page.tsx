import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { HistoryTable } from "@/components/billing/history-table";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { ledgerHistory } from "@/lib/billing/history";

export const metadata = { title: "Transaction history" };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser();
  const { before } = await searchParams;
  const page = await ledgerHistory(getDb(), user.id, { before: before ?? null });
  return (
    <>
      <PageHeader title="Transaction history" description="Every top-up, refund, adjustment and code, and your usage per day and model." />
      <form action="/api/billing/ledger.csv" method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label="Export CSV">
        <div>
          <label htmlFor="from" className="block text-sm font-medium">
            From
          </label>
          <input id="from" name="from" type="date" className={`${inputClasses} mt-1.5`} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium">
            To
          </label>
          <input id="to" name="to" type="date" className={`${inputClasses} mt-1.5`} />
        </div>
        <button type="submit" className={buttonClasses("secondary")}>
          Export CSV
        </button>
      </form>
      {page.rows.length ? (
        <HistoryTable rows={page.rows} />
      ) : (
        <EmptyState title="Nothing in this period">Top-ups, refunds and usage will show up here.</EmptyState>
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
        {before ? (
          <Link href="/billing/history" className="font-semibold text-indigo-600">
            ← Latest
          </Link>
        ) : (
          <span />
        )}
        {page.nextBefore ? (
          <Link href={`/billing/history?before=${page.nextBefore}`} className="font-semibold text-indigo-600">
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
