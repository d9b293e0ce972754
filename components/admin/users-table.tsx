"use client";

import Link from "next/link";
import { useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { displayUsd } from "@/lib/money";
import type { AdminUserRow } from "@/lib/admin/user-rows";
import { UserActions } from "./user-actions";
import { buttonClasses } from "@/components/ui/button";
import { formatDate, formatDateTime, tableClasses as tc } from "./format";
import { TableScroll } from "@/components/ui/table-scroll";

export function UsersTable({ initialUsers, currentUserId }: { initialUsers: AdminUserRow[]; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [message, setMessage] = useState<string | null>(null);
  const t = useTranslations("admin.users");
  const tr = useTranslations("admin.roles");
  const tf = useTranslations("admin.format");
  const format = useFormatter();
  const replace = (row: AdminUserRow) => setUsers((list) => list.map((u) => (u.id === row.id ? { ...u, ...row } : u)));

  return (
    <div className="space-y-4">
      {message ? <Alert tone="success">{message}</Alert> : null}
      <TableScroll label={t("title")}>
        <table className={tc.table}>
          <thead className={tc.head}>
            <tr>
              <th scope="col" className={tc.th}>{t("columns.user")}</th>
              <th scope="col" className={tc.th}>{t("columns.role")}</th>
              <th scope="col" className={`${tc.th} text-right`}>{t("columns.balance")}</th>
              <th scope="col" className={tc.th}>{t("columns.created")}</th>
              <th scope="col" className={tc.th}>{t("columns.lastRequest")}</th>
              <th scope="col" className={tc.th}>
                <span className="sr-only">{t("columns.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody className={tc.body}>
            {users.map((user) => (
              <tr key={user.id} data-testid="user-row" data-email={user.email}>
                <td className={tc.td}>
                  <Link href={`/admin/users/${encodeURIComponent(user.id)}`} className="font-medium text-indigo-700 hover:underline" aria-label={t("view", { email: user.email })}>
                    {user.email}
                  </Link>
                  {user.id === currentUserId ? <span className="ml-1 text-xs text-zinc-500">{t("you")}</span> : null}
                  {user.name ? <div className="text-xs text-zinc-500">{user.name}</div> : null}
                </td>
                <td className={`${tc.td} whitespace-nowrap`}>
                  <span className="flex gap-1">
                    {user.role === "ADMIN" ? <Badge tone="indigo">{tr("ADMIN")}</Badge> : <Badge>{tr("USER")}</Badge>}
                    {user.disabled ? <Badge tone="red">{tr("disabled")}</Badge> : null}
                  </span>
                </td>
                <td className={`${tc.td} text-right whitespace-nowrap tabular-nums`} data-testid="user-balance">
                  {displayUsd(BigInt(user.balance))}
                </td>
                <td className={`${tc.td} whitespace-nowrap`}>{formatDate(format, user.createdAt)}</td>
                <td className={`${tc.td} whitespace-nowrap`}>{formatDateTime(format, user.lastRequestAt, tf("never"))}</td>
                <td className={tc.td}>
                  <div className="ml-auto grid w-56 grid-cols-2 gap-1">
                    <UserActions user={user} onChanged={replace} onMessage={setMessage} compact className="contents" />
                    <Link
                      href={`/admin/users/${encodeURIComponent(user.id)}`}
                      className={buttonClasses("secondary", "sm")}
                      aria-label={t("usageLabel", { email: user.email })}
                    >
                      {t("usage")}
                    </Link>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
