"use client";

import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { KeyRow } from "@/lib/keys/key-rows";

export function RevokeKeyDialog({ target, onCancel, onConfirm }: { target: KeyRow | null; onCancel: () => void; onConfirm: (key: KeyRow) => Promise<void> }) {
  const t = useTranslations("keys.revoke");
  return (
    <ConfirmDialog
      open={target !== null}
      title={t("title")}
      confirmLabel={t("confirm")}
      pendingLabel={t("pending")}
      onCancel={onCancel}
      onConfirm={async () => {
        if (target) await onConfirm(target);
      }}
    >
      {t.rich("body", {
        name: target?.name ?? "",
        prefix: target?.prefix ?? "",
        strong: (chunks) => <strong className="font-semibold text-zinc-900">{chunks}</strong>,
      })}
      {target?.playground ? <p className="mt-2">{t("playgroundNote")}</p> : null}
    </ConfirmDialog>
  );
}
