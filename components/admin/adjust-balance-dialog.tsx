"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";
import type { AdminUserRow } from "@/lib/admin/user-rows";

/** Credit (positive) or debit (negative) a user's balance: one ledger ADJUSTMENT with a required note. */
export function AdjustBalanceDialog({ user, onClose, onDone }: { user: AdminUserRow | null; onClose: () => void; onDone: (balance: string, amount: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const t = useTranslations("admin.adjust");
  const errorText = useErrorText();
  const tc = useTranslations("common");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!user) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setPending(true);
    setError(null);
    try {
      const result = await portalFetch<{ balance: string; entry: { amount: string } }>(`/api/admin/users/${encodeURIComponent(user.id)}/adjust`, {
        method: "POST",
        body: JSON.stringify({ amountUsd: String(form.get("adjust-amount") ?? "").trim(), note: form.get("adjust-note") }),
      });
      formElement.reset();
      onDone(result.balance, result.entry.amount);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  }

  function close() {
    setError(null);
    onClose();
  }

  return (
    <Dialog open={user !== null} onClose={close} title={t("title")}>
      {user ? (
        <form onSubmit={onSubmit} className="space-y-4" aria-label={t("formLabel", { email: user.email })}>
          <p className="text-sm text-zinc-600">
            {t.rich("intro", {
              email: user.email,
              balance: displayUsd(BigInt(user.balance)),
              strong: (chunks) => <strong className="font-semibold text-zinc-900">{chunks}</strong>,
            })}
          </p>
          <Field id="adjust-amount" label={t("amount")} inputMode="decimal" required placeholder={t("amountPlaceholder")} hint={t("amountHint")} autoFocus />
          <Field id="adjust-note" label={t("note")} required maxLength={500} placeholder={t("notePlaceholder")} hint={t("noteHint")} />
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              {tc("cancel")}
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? t("booking") : t("book")}
            </Button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
