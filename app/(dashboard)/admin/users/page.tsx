import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { AdminForbidden } from "@/components/admin/forbidden";
import { UsersTable } from "@/components/admin/users-table";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { adminPageUser } from "@/lib/admin/page-guard";
import { searchUsers } from "@/lib/admin/users";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await adminPageUser();
  if (!admin) return <AdminForbidden />;
  const params = await searchParams;
  const q = (params.q ?? "").trim();
  const requested = Number(params.page ?? "1");
  const result = await searchUsers(getDb(), { query: q, page: Number.isInteger(requested) && requested > 0 ? requested : 1 });
  const pageLink = (page: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(page) })}`;
  const first = (result.page - 1) * result.pageSize + 1;

  return (
    <>
      <PageHeader title="Users" description="Balances, access and roles. Every balance change is a ledger adjustment in your name." />
      <form method="get" action="/admin/users" role="search" aria-label="Search users" className="mb-6 flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <label htmlFor="q" className="block text-sm font-medium">
            Email contains
          </label>
          <input id="q" name="q" type="search" defaultValue={q} placeholder="e.g. example.com" className={`${inputClasses} mt-1.5`} />
        </div>
        <button type="submit" className={buttonClasses("primary")}>
          Search
        </button>
        {q ? (
          <Link href="/admin/users" className={buttonClasses("secondary")}>
            Clear
          </Link>
        ) : null}
      </form>
      {result.data.length ? (
        <>
          <p className="mb-3 text-sm text-zinc-600" data-testid="users-count">
            {`${first}–${first + result.data.length - 1} of ${result.total} user${result.total === 1 ? "" : "s"}${q ? ` matching “${q}”` : ""}`}
          </p>
          {/* Keyed by the query and page so a new search starts from fresh rows. */}
          <UsersTable key={`${q}:${result.page}`} initialUsers={result.data} currentUserId={admin.id} />
          <nav aria-label="User pages" className="mt-4 flex justify-between text-sm">
            {result.page > 1 ? (
              <Link href={pageLink(result.page - 1)} className="font-semibold text-indigo-600">
                ← Previous
              </Link>
            ) : (
              <span />
            )}
            <span className="text-zinc-500">
              Page {result.page} of {result.pages}
            </span>
            {result.page < result.pages ? (
              <Link href={pageLink(result.page + 1)} className="font-semibold text-indigo-600">
                Next →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        </>
      ) : (
        <EmptyState title={q ? "No matching users" : "No users yet"}>
          {q ? <>No email contains “{q}”. Try part of the address, e.g. the domain.</> : "Accounts appear here when people sign up."}
        </EmptyState>
      )}
    </>
  );
}
