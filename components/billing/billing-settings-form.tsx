"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

export interface BillingSettingsValues {
  lowBalanceThresholdUsd: string;
  autoRechargeEnabled: boolean;
  autoRechargeThresholdUsd: string;
  autoRechargeAmountUsd: string;
  hasSavedCard: boolean;
  autoRechargeError: string | null;
}

export function BillingSettingsForm({ initial, stripeEnabled }: { initial: BillingSettingsValues; stripeEnabled: boolean }) {
  const t = useTranslations("billing.settings");
  const errorText = useErrorText();
  const router = useRouter();
  const [enabled, setEnabled] = useState(initial.autoRechargeEnabled);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setMessage(null);
    try {
      await portalFetch("/api/billing/settings", {
        method: "PUT",
        body: JSON.stringify({
          lowBalanceThresholdUsd: form.get("lowBalance") || null,
          autoRecharge: stripeEnabled ? { enabled, thresholdUsd: form.get("rechargeBelow") || null, amountUsd: form.get("rechargeAmount") || null } : undefined,
        }),
      });
      setMessage({ tone: "success", text: t("saved") });
      router.refresh();
    } catch (e) {
      setMessage({ tone: "error", text: errorText(e) });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label={t("formLabel")}>
      <Field id="lowBalance" label={t("lowBalance")} inputMode="decimal" defaultValue={initial.lowBalanceThresholdUsd} placeholder={t("lowBalancePlaceholder")} />
      {stripeEnabled ? (
        <fieldset className="space-y-3 rounded-lg border border-zinc-200 p-4">
          <legend className="px-1 text-sm font-medium">{t("autoRecharge")}</legend>
          {/* The reason comes from Stripe (e.g. the card's decline message), as Stripe worded it. */}
          {initial.autoRechargeError ? <Alert tone="error">{t("turnedOff", { reason: initial.autoRechargeError })}</Alert> : null}
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} disabled={!initial.hasSavedCard} className="size-4 rounded border-zinc-300" />
            {initial.hasSavedCard ? t("enableWithCard") : t("enableNeedsCard")}
          </label>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="rechargeBelow" label={t("rechargeBelow")} inputMode="decimal" defaultValue={initial.autoRechargeThresholdUsd} disabled={!enabled} />
            <Field id="rechargeAmount" label={t("rechargeAmount")} inputMode="decimal" defaultValue={initial.autoRechargeAmountUsd} disabled={!enabled} />
          </div>
        </fieldset>
      ) : null}
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("saving") : t("submit")}
      </Button>
    </form>
  );
}
