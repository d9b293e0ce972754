"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import { usdInputValue, type PriceRow } from "@/lib/admin/price-rows";

/** A technical example: the same in every language. */
const EXAMPLE_MODEL = "gpt-4o-mini";

/** Path of a price: each segment encoded, so model ids with slashes stay readable and routable. */
export const pricePath = (model: string) => `/api/admin/prices/${model.split("/").map(encodeURIComponent).join("/")}`;

/** Adds a price (no `price`) or edits one; amounts are USD per 1M tokens, exact to 6 decimals. */
export function PriceForm({
  price,
  suggestedModel,
  onSaved,
  onCancel,
}: {
  price: PriceRow | null;
  suggestedModel?: string;
  onSaved: (price: PriceRow) => void;
  onCancel: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const editing = price !== null;
  const t = useTranslations("admin.prices.form");
  const errorText = useErrorText();
  const tc = useTranslations("common");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim();
    const body = {
      ...(editing ? {} : { model: value("price-model") }),
      inputUsd: value("price-input"),
      outputUsd: value("price-output"),
      cachedInputUsd: value("price-cached") || null,
      cacheWriteUsd: value("price-cache-write") || null,
      cacheWrite1hUsd: value("price-cache-write-1h") || null,
      visible: form.get("price-visible") === "on",
      description: value("price-description") || null,
    };
    setPending(true);
    setError(null);
    try {
      const { data } = await portalFetch<{ data: PriceRow }>(editing ? pricePath(price.model) : "/api/admin/prices", {
        method: editing ? "PATCH" : "POST",
        body: JSON.stringify(body),
      });
      onSaved(data);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label={editing ? t("editLabel", { model: price.model }) : t("addLabel")} className="space-y-4">
      {editing ? (
        <p className="text-sm">
          {t.rich("modelValue", { model: price.model, code: (chunks) => <code className="font-mono font-semibold">{chunks}</code> })}
        </p>
      ) : (
        <Field id="price-model" label={t("model")} required maxLength={200} defaultValue={suggestedModel ?? ""} placeholder={EXAMPLE_MODEL} hint={t("modelHint")} />
      )}
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="price-input" label={t("input")} inputMode="decimal" required defaultValue={price ? usdInputValue(price.inputPrice) : ""} placeholder="0.15" />
        <Field id="price-output" label={t("output")} inputMode="decimal" required defaultValue={price ? usdInputValue(price.outputPrice) : ""} placeholder="0.60" />
        <Field
          id="price-cached"
          label={t("cached")}
          inputMode="decimal"
          defaultValue={price?.cachedInputPrice ? usdInputValue(price.cachedInputPrice) : ""}
          placeholder={t("cachedPlaceholder")}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          id="price-cache-write"
          label={t("cacheWrite")}
          inputMode="decimal"
          defaultValue={price?.cacheWritePrice ? usdInputValue(price.cacheWritePrice) : ""}
          placeholder={t("cacheWritePlaceholder")}
          hint={t("cacheWriteHint")}
        />
        <Field
          id="price-cache-write-1h"
          label={t("cacheWrite1h")}
          inputMode="decimal"
          defaultValue={price?.cacheWrite1hPrice ? usdInputValue(price.cacheWrite1hPrice) : ""}
          placeholder={t("cacheWrite1hPlaceholder")}
        />
      </div>
      <Field id="price-description" label={t("description")} maxLength={500} defaultValue={price?.description ?? ""} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="price-visible" defaultChecked={price?.visible ?? true} className="size-4 rounded border-zinc-300" />
        {t("visible")}
      </label>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          {tc("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : editing ? t("save") : t("add")}
        </Button>
      </div>
    </form>
  );
}
