import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { HistoryTable } from "@/components/billing/history-table";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { ledgerHistory } from "@/lib/billing/history";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("billing.history");
  return { title: t("title") };
}

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser();
  const { before } = await searchParams;
  const [page, t] = await Promise.all([ledgerHistory(getDb(), user.id, { before: before ?? null }), getTranslations("billing.history")]);
  // The ledger holds money movements only; a newcomer's free sandbox calls are in usage, not here.
  const freeCallsNote = t.rich("freeCalls", {
    link: (chunks) => (
      <Link href="/usage" className="font-semibold text-indigo-600 hover:text-indigo-500">
        {chunks}
      </Link>
    ),
  });
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <form action="/api/billing/ledger.csv" method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t("export.label")}>
        <div>
          <label htmlFor="from" className="block text-sm font-medium">
            {t("export.from")}
          </label>
          <input id="from" name="from" type="date" className={`${inputClasses} mt-1.5`} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium">
            {t("export.to")}
          </label>
          <input id="to" name="to" type="date" className={`${inputClasses} mt-1.5`} />
        </div>
        <button type="submit" className={buttonClasses("secondary")}>
          {t("export.submit")}
        </button>
      </form>
      {page.rows.length ? (
        <HistoryTable rows={page.rows} />
      ) : (
        <EmptyState title={t("empty.title")}>
          <p>{t("empty.body")}</p>
          <p className="mt-2" data-testid="free-calls-note">{freeCallsNote}</p>
        </EmptyState>
      )}
      {page.rows.length ? (
        <p className="mt-3 text-sm text-zinc-600" data-testid="free-calls-note">
          {freeCallsNote}
        </p>
      ) : null}
      <nav aria-label={t("pages")} className="mt-4 flex justify-between text-sm">
        {before ? (
          <Link href="/billing/history" className="font-semibold text-indigo-600">
            {t("latest")}
          </Link>
        ) : (
          <span />
        )}
        {page.nextBefore ? (
          <Link href={`/billing/history?before=${page.nextBefore}`} className="font-semibold text-indigo-600">
            {t("older")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
