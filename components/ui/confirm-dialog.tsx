"use client";

import { useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { useErrorText } from "@/lib/client/portal-fetch";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";

/** "Are you sure?" for destructive or access-changing actions; shows the action's error in place. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pendingLabel,
  danger = true,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  danger?: boolean;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const te = useTranslations("errors.ui");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  }

  function cancel() {
    setError(null);
    onCancel();
  }

  return (
    <Dialog open={open} onClose={cancel} title={title}>
      <div className="text-sm text-zinc-600">{children}</div>
      {error ? (
        <Alert tone="error" className="mt-3">
          {error}
        </Alert>
      ) : null}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={cancel}>
          {tc("cancel")}
        </Button>
        <Button variant={danger ? "danger" : "primary"} onClick={confirm} disabled={pending}>
          {pending ? (pendingLabel ?? te("working")) : confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
