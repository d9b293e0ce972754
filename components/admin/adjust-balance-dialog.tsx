"use client";

import { useState, type FormEvent } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";
import type { AdminUserRow } from "@/lib/admin/user-rows";

/** Credit (positive) or debit (negative) a user's balance: one ledger ADJUSTMENT with a required note. */
export function AdjustBalanceDialog({ user, onClose, onDone }: { user: AdminUserRow | null; onClose: () => void; onDone: (balance: string, amount: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

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
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  }

  function close() {
    setError(null);
    onClose();
  }

  return (
    <Dialog open={user !== null} onClose={close} title="Credit or debit a balance">
      {user ? (
        <form onSubmit={onSubmit} className="space-y-4" aria-label={`Adjust the balance of ${user.email}`}>
          <p className="text-sm text-zinc-600">
            <strong className="font-semibold text-zinc-900">{user.email}</strong> has {displayUsd(BigInt(user.balance))}. The change is booked as a ledger
            adjustment in your name.
          </p>
          <Field id="adjust-amount" label="Amount (USD)" inputMode="decimal" required placeholder="10 or -2.50" hint="Positive credits, negative debits." autoFocus />
          <Field id="adjust-note" label="Note" required maxLength={500} placeholder="e.g. refund for the outage on May 3" hint="Required: the reason, kept in the ledger." />
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Booking…" : "Book adjustment"}
            </Button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
