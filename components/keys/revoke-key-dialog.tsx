"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { KeyRow } from "@/lib/keys/key-rows";

export function RevokeKeyDialog({ target, onCancel, onConfirm }: { target: KeyRow | null; onCancel: () => void; onConfirm: (key: KeyRow) => Promise<void> }) {
  return (
    <ConfirmDialog
      open={target !== null}
      title="Revoke this key?"
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      onCancel={onCancel}
      onConfirm={async () => {
        if (target) await onConfirm(target);
      }}
    >
      Requests using <strong className="font-semibold text-zinc-900">{target?.name}</strong> ({target?.prefix}) will be refused within seconds.
      This cannot be undone.
    </ConfirmDialog>
  );
}
