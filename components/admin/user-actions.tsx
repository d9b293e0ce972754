"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { portalFetch } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";
import type { AdminUserRow } from "@/lib/admin/user-rows";
import { AdjustBalanceDialog } from "./adjust-balance-dialog";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

type Change = { kind: "disable" | "enable" | "promote" | "demote"; user: AdminUserRow };

const CHANGES = {
  disable: { title: "Disable this account?", label: "Disable account", body: { disabled: true } },
  enable: { title: "Enable this account?", label: "Enable account", body: { disabled: false } },
  promote: { title: "Make this user an admin?", label: "Make admin", body: { role: "ADMIN" } },
  demote: { title: "Remove admin rights?", label: "Remove admin", body: { role: "USER" } },
} as const;

const EXPLAIN = {
  disable: "They are signed out, cannot sign in, and their API keys are refused (401) within seconds. Their data and balance stay.",
  enable: "They can sign in again and their API keys work again.",
  promote: "Admins manage channels, prices and users, including other admins.",
  demote: "They keep their account, keys and balance, but lose access to the admin console.",
} as const;

/** The per-user admin actions: credit/debit, disable/enable, make/remove admin. Reports results through the callbacks. */
export function UserActions({
  user,
  onChanged,
  onMessage,
  compact = false,
  className = "flex flex-wrap justify-end gap-1",
}: {
  user: AdminUserRow;
  onChanged: (row: AdminUserRow) => void;
  onMessage: (message: string) => void;
  compact?: boolean;
  /** The buttons' wrapper ("contents" lets a parent grid lay them out). */
  className?: string;
}) {
  const [adjusting, setAdjusting] = useState<AdminUserRow | null>(null);
  const [change, setChange] = useState<Change | null>(null);
  const size = compact ? "sm" : "md";

  async function apply(current: Change) {
    const { data } = await portalFetch<{ data: AdminUserRow }>(`/api/admin/users/${encodeURIComponent(current.user.id)}`, {
      method: "PATCH",
      body: JSON.stringify(CHANGES[current.kind].body),
    });
    setChange(null);
    onChanged(data);
    onMessage(
      {
        disable: `${data.email} is disabled.`,
        enable: `${data.email} is enabled again.`,
        promote: `${data.email} is now an admin.`,
        demote: `${data.email} is no longer an admin.`,
      }[current.kind],
    );
  }

  return (
    <>
      <div className={className}>
        <Button variant="secondary" size={size} onClick={() => setAdjusting(user)} aria-label={`Credit or debit ${user.email}`}>
          Credit / debit
        </Button>
        <Button
          variant="ghost"
          size={size}
          className={user.disabled ? undefined : "text-red-600"}
          onClick={() => setChange({ kind: user.disabled ? "enable" : "disable", user })}
          aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}
        >
          {user.disabled ? "Enable" : "Disable"}
        </Button>
        <Button
          variant="ghost"
          size={size}
          onClick={() => setChange({ kind: user.role === "ADMIN" ? "demote" : "promote", user })}
          aria-label={`${user.role === "ADMIN" ? "Remove admin from" : "Make admin"} ${user.email}`}
        >
          {user.role === "ADMIN" ? "Remove admin" : "Make admin"}
        </Button>
      </div>
      <AdjustBalanceDialog
        user={adjusting}
        onClose={() => setAdjusting(null)}
        onDone={(balance, amount) => {
          const target = adjusting!;
          setAdjusting(null);
          onChanged({ ...target, balance });
          const delta = BigInt(amount);
          onMessage(`${delta > 0n ? "Credited" : "Debited"} ${displayUsd(delta < 0n ? -delta : delta)} ${delta > 0n ? "to" : "from"} ${target.email}; the balance is now ${displayUsd(BigInt(balance))}.`);
        }}
      />
      <ConfirmDialog
        open={change !== null}
        title={change ? CHANGES[change.kind].title : ""}
        confirmLabel={change ? CHANGES[change.kind].label : ""}
        danger={change?.kind === "disable" || change?.kind === "demote"}
        onCancel={() => setChange(null)}
        onConfirm={() => apply(change!)}
      >
        <p>
          <strong className="font-semibold text-zinc-900">{change?.user.email}</strong>: {change ? EXPLAIN[change.kind] : null}
        </p>
      </ConfirmDialog>
    </>
  );
}
