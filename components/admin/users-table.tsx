"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { displayUsd } from "@/lib/money";
import type { AdminUserRow } from "@/lib/admin/user-rows";
import { UserActions } from "./user-actions";
import { buttonClasses } from "@/components/ui/button";
import { formatDate, formatDateTime, tableClasses as t } from "./format";

export function UsersTable({ initialUsers, currentUserId }: { initialUsers: AdminUserRow[]; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [message, setMessage] = useState<string | null>(null);
  const replace = (row: AdminUserRow) => setUsers((list) => list.map((u) => (u.id === row.id ? { ...u, ...row } : u)));

  return (
    <div className="space-y-4">
      {message ? <Alert tone="success">{message}</Alert> : null}
      <div className={t.wrapper}>
        <table className={t.table}>
          <thead className={t.head}>
            <tr>
              <th scope="col" className={t.th}>User</th>
              <th scope="col" className={t.th}>Role</th>
              <th scope="col" className={`${t.th} text-right`}>Balance</th>
              <th scope="col" className={t.th}>Created</th>
              <th scope="col" className={t.th}>Last request</th>
              <th scope="col" className={t.th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className={t.body}>
            {users.map((user) => (
              <tr key={user.id} data-testid="user-row" data-email={user.email}>
                <td className={t.td}>
                  <Link href={`/admin/users/${encodeURIComponent(user.id)}`} className="font-medium text-indigo-700 hover:underline" aria-label={`View ${user.email}`}>
                    {user.email}
                  </Link>
                  {user.id === currentUserId ? <span className="ml-1 text-xs text-zinc-500">(you)</span> : null}
                  {user.name ? <div className="text-xs text-zinc-500">{user.name}</div> : null}
                </td>
                <td className={`${t.td} whitespace-nowrap`}>
                  <span className="flex gap-1">
                    {user.role === "ADMIN" ? <Badge tone="indigo">ADMIN</Badge> : <Badge>USER</Badge>}
                    {user.disabled ? <Badge tone="red">DISABLED</Badge> : null}
                  </span>
                </td>
                <td className={`${t.td} text-right whitespace-nowrap tabular-nums`} data-testid="user-balance">
                  {displayUsd(BigInt(user.balance))}
                </td>
                <td className={`${t.td} whitespace-nowrap`}>{formatDate(user.createdAt)}</td>
                <td className={`${t.td} whitespace-nowrap`}>{formatDateTime(user.lastRequestAt, "never")}</td>
                <td className={t.td}>
                  <div className="ml-auto grid w-56 grid-cols-2 gap-1">
                    <UserActions user={user} onChanged={replace} onMessage={setMessage} compact className="contents" />
                    <Link
                      href={`/admin/users/${encodeURIComponent(user.id)}`}
                      className={buttonClasses("ghost", "sm", "text-indigo-700")}
                      aria-label={`Usage of ${user.email}`}
                    >
                      Usage
                    </Link>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
