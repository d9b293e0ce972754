"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { inputClasses } from "@/components/ui/field";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import { cn } from "@/lib/utils/cn";

const PRESETS = ["10", "25", "50", "100"];

/** Choose an amount, then go to Stripe Checkout; the balance is credited when Stripe confirms. */
export function TopUpForm({ minUsd, maxUsd }: { minUsd: string; maxUsd: string }) {
  const t = useTranslations("billing.topUp");
  const errorText = useErrorText();
  const [amount, setAmount] = useState("25");
  const [custom, setCustom] = useState(false);
  const [saveCard, setSaveCard] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const { url } = await portalFetch<{ url: string }>("/api/billing/checkout", { method: "POST", body: JSON.stringify({ amountUsd: amount, saveCard }) });
      window.location.assign(url);
    } catch (e) {
      setError(errorText(e));
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label={t("formLabel")}>
      <fieldset>
        <legend className="text-sm font-medium">{t("amount")}</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {PRESETS.map((preset) => (
            <button
              key={preset}
              type="button"
              aria-pressed={!custom && amount === preset}
              onClick={() => (setCustom(false), setAmount(preset))}
              className={cn(
                "rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-inset",
                !custom && amount === preset ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-zinc-900 ring-zinc-300 hover:bg-zinc-50",
              )}
            >
              ${preset}
            </button>
          ))}
          <button
            type="button"
            aria-pressed={custom}
            onClick={() => setCustom(true)}
            className={cn("rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-inset", custom ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white ring-zinc-300 hover:bg-zinc-50")}
          >
            {t("other")}
          </button>
        </div>
      </fieldset>
      {custom ? (
        <div>
          <label htmlFor="custom-amount" className="block text-sm font-medium">
            {t("customAmount")}
          </label>
          <input
            id="custom-amount"
            inputMode="decimal"
            className={cn(inputClasses, "mt-1.5 max-w-40")}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-describedby="amount-limits"
          />
          <p id="amount-limits" className="mt-1 text-xs text-zinc-500">
            {t("limits", { min: `$${minUsd}`, max: `$${maxUsd}` })}
          </p>
        </div>
      ) : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={saveCard} onChange={(e) => setSaveCard(e.target.checked)} className="size-4 rounded border-zinc-300" />
        {t("saveCard")}
      </label>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button type="submit" disabled={pending}>
        {pending ? t("pending") : t("submit", { amount: `$${amount || "…"}` })}
      </Button>
    </form>
  );
}
