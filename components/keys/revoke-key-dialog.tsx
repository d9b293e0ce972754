"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import type { KeyRow } from "@/lib/keys/key-rows";

export function RevokeKeyDialog({ target, onCancel, onConfirm }: { target: KeyRow | null; onCancel: () => void; onConfirm: (key: KeyRow) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function confirm() {
    if (!target) return;
    setPending(true);
    setError(null);
    try {
      await onConfirm(target);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog open={target !== null} onClose={onCancel} title="Revoke this key?">
      <p className="text-sm text-zinc-600">
        Requests using <strong className="font-semibold text-zinc-900">{target?.name}</strong> ({target?.prefix}) will be refused
        within seconds. This cannot be undone.
      </p>
      {error ? (
        <Alert tone="error" className="mt-3">
          {error}
        </Alert>
      ) : null}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="danger" onClick={confirm} disabled={pending}>
          {pending ? "Revoking…" : "Revoke key"}
        </Button>
      </div>
    </Dialog>
  );
}
