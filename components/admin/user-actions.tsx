"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { portalFetch } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";
import type { AdminUserRow } from "@/lib/admin/user-rows";
import { AdjustBalanceDialog } from "./adjust-balance-dialog";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

type Change = { kind: "disable" | "enable" | "promote" | "demote"; user: AdminUserRow };

/** What each change sends; its texts are admin.userActions.confirm.<kind>Title/Label/Body and done.<kind>. */
const CHANGES = {
  disable: { disabled: true },
  enable: { disabled: false },
  promote: { role: "ADMIN" },
  demote: { role: "USER" },
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
  const t = useTranslations("admin.userActions");

  async function apply(current: Change) {
    const { data } = await portalFetch<{ data: AdminUserRow }>(`/api/admin/users/${encodeURIComponent(current.user.id)}`, {
      method: "PATCH",
      body: JSON.stringify(CHANGES[current.kind]),
    });
    setChange(null);
    onChanged(data);
    onMessage(t(`done.${current.kind}`, { email: data.email }));
  }

  return (
    <>
      <div className={className}>
        <Button variant="secondary" size={size} onClick={() => setAdjusting(user)} aria-label={t("creditDebitLabel", { email: user.email })}>
          {t("creditDebit")}
        </Button>
        <Button
          variant={user.disabled ? "secondary" : "danger"}
          size={size}
          onClick={() => setChange({ kind: user.disabled ? "enable" : "disable", user })}
          aria-label={t(user.disabled ? "enableLabel" : "disableLabel", { email: user.email })}
        >
          {user.disabled ? t("enable") : t("disable")}
        </Button>
        <Button
          variant="secondary"
          size={size}
          onClick={() => setChange({ kind: user.role === "ADMIN" ? "demote" : "promote", user })}
          aria-label={t(user.role === "ADMIN" ? "removeAdminLabel" : "makeAdminLabel", { email: user.email })}
        >
          {user.role === "ADMIN" ? t("removeAdmin") : t("makeAdmin")}
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
          onMessage(t(delta > 0n ? "credited" : "debited", { amount: displayUsd(delta < 0n ? -delta : delta), email: target.email, balance: displayUsd(BigInt(balance)) }));
        }}
      />
      <ConfirmDialog
        open={change !== null}
        title={change ? t(`confirm.${change.kind}Title`) : ""}
        confirmLabel={change ? t(`confirm.${change.kind}Label`) : ""}
        danger={change?.kind === "disable" || change?.kind === "demote"}
        onCancel={() => setChange(null)}
        onConfirm={() => apply(change!)}
      >
        <p>
          <strong className="font-semibold text-zinc-900">{change?.user.email}</strong>: {change ? t(`confirm.${change.kind}Body`) : null}
        </p>
      </ConfirmDialog>
    </>
  );
}
