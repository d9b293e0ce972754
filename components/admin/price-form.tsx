"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { usdInputValue, type PriceRow } from "@/lib/admin/price-rows";

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

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim();
    const body = {
      ...(editing ? {} : { model: value("price-model") }),
      inputUsd: value("price-input"),
      outputUsd: value("price-output"),
      cachedInputUsd: value("price-cached") || null,
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
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label={editing ? `Edit price of ${price.model}` : "Add price"} className="space-y-4">
      {editing ? (
        <p className="text-sm">
          Model: <code className="font-mono font-semibold">{price.model}</code>
        </p>
      ) : (
        <Field id="price-model" label="Model" required maxLength={200} defaultValue={suggestedModel ?? ""} placeholder="gpt-4o-mini" hint="The public model id clients send." />
      )}
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="price-input" label="Input (USD / 1M tokens)" inputMode="decimal" required defaultValue={price ? usdInputValue(price.inputPrice) : ""} placeholder="0.15" />
        <Field id="price-output" label="Output (USD / 1M tokens)" inputMode="decimal" required defaultValue={price ? usdInputValue(price.outputPrice) : ""} placeholder="0.60" />
        <Field
          id="price-cached"
          label="Cached input (USD / 1M)"
          inputMode="decimal"
          defaultValue={price?.cachedInputPrice ? usdInputValue(price.cachedInputPrice) : ""}
          placeholder="same as input"
        />
      </div>
      <Field id="price-description" label="Description (optional)" maxLength={500} defaultValue={price?.description ?? ""} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="price-visible" defaultChecked={price?.visible ?? true} className="size-4 rounded border-zinc-300" />
        Visible in the public model list
      </label>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save price" : "Add price"}
        </Button>
      </div>
    </form>
  );
}
