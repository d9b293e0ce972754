import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { AdminForbidden } from "@/components/admin/forbidden";
import { UsersTable } from "@/components/admin/users-table";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { adminPageUser } from "@/lib/admin/page-guard";
import { searchUsers } from "@/lib/admin/users";
import { getDb } from "@/lib/db/client";

export async function generateMetadata() {
  const t = await getTranslations("admin.meta");
  return { title: t("users") };
}

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await adminPageUser();
  if (!admin) return <AdminForbidden />;
  const params = await searchParams;
  const q = (params.q ?? "").trim();
  const requested = Number(params.page ?? "1");
  const result = await searchUsers(getDb(), { query: q, page: Number.isInteger(requested) && requested > 0 ? requested : 1 });
  const pageLink = (page: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(page) })}`;
  const first = (result.page - 1) * result.pageSize + 1;
  const [t, format] = await Promise.all([getTranslations("admin.users"), getFormatter()]);
  const range = { first: format.number(first), last: format.number(first + result.data.length - 1), total: result.total };

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <form method="get" action="/admin/users" role="search" aria-label={t("searchLabel")} className="mb-6 flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <label htmlFor="q" className="block text-sm font-medium">
            {t("emailContains")}
          </label>
          <input id="q" name="q" type="search" defaultValue={q} placeholder={t("searchPlaceholder")} className={`${inputClasses} mt-1.5`} />
        </div>
        <button type="submit" className={buttonClasses("primary")}>
          {t("search")}
        </button>
        {q ? (
          <Link href="/admin/users" className={buttonClasses("secondary")}>
            {t("clear")}
          </Link>
        ) : null}
      </form>
      {result.data.length ? (
        <>
          <p className="mb-3 text-sm text-zinc-600" data-testid="users-count">
            {q ? t("countMatching", { ...range, query: q }) : t("count", range)}
          </p>
          {/* Keyed by the query and page so a new search starts from fresh rows. */}
          <UsersTable key={`${q}:${result.page}`} initialUsers={result.data} currentUserId={admin.id} />
          <nav aria-label={t("pagesLabel")} className="mt-4 flex justify-between text-sm">
            {result.page > 1 ? (
              <Link href={pageLink(result.page - 1)} className="font-semibold text-indigo-600">
                {t("previous")}
              </Link>
            ) : (
              <span />
            )}
            <span className="text-zinc-500">
              {t("pageOf", { page: format.number(result.page), pages: format.number(result.pages) })}
            </span>
            {result.page < result.pages ? (
              <Link href={pageLink(result.page + 1)} className="font-semibold text-indigo-600">
                {t("next")}
              </Link>
            ) : (
              <span />
            )}
          </nav>
        </>
      ) : (
        <EmptyState title={q ? t("noMatchTitle") : t("noUsersTitle")}>
          {q ? t("noMatchBody", { query: q }) : t("noUsersBody")}
        </EmptyState>
      )}
    </>
  );
}
