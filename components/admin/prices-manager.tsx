"use client";

import { useState } from "react";
import { EmptyState } from "@/components/portal/empty-state";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { portalFetch } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";
import type { PriceRow, UnpricedModel } from "@/lib/admin/price-rows";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PriceForm, pricePath } from "./price-form";
import { tableClasses as t } from "./format";

const usd = (micros: string | null) => (micros === null ? "—" : displayUsd(BigInt(micros)));

export function PricesManager({ initialPrices, initialUnpriced }: { initialPrices: PriceRow[]; initialUnpriced: UnpricedModel[] }) {
  const [prices, setPrices] = useState(initialPrices);
  const [unpriced, setUnpriced] = useState(initialUnpriced);
  // undefined: closed; {price: null}: adding (maybe for a suggested model); {price}: editing.
  const [form, setForm] = useState<{ price: PriceRow | null; model?: string } | undefined>(undefined);
  const [deleting, setDeleting] = useState<PriceRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function reload() {
    const result = await portalFetch<{ data: PriceRow[]; unpriced: UnpricedModel[] }>("/api/admin/prices");
    setPrices(result.data);
    setUnpriced(result.unpriced);
  }

  async function remove(price: PriceRow) {
    await portalFetch(pricePath(price.model), { method: "DELETE" });
    setDeleting(null);
    setNotice(`The price of ${price.model} was deleted; the model can no longer be called.`);
    await reload().catch((e: Error) => setError(e.message));
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">USD per 1M tokens, exact. A model can be called once a channel serves it and it has a price.</p>
        <Button onClick={() => setForm({ price: null })}>Add price</Button>
      </div>
      {unpriced.length ? (
        <div data-testid="unpriced-models" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          <p className="font-medium">Served by a channel but not priced — these models cannot be called (the gateway answers 404):</p>
          <ul className="mt-2 flex flex-wrap gap-2">
            {unpriced.map((u) => (
              <li key={u.model}>
                <button
                  type="button"
                  onClick={() => setForm({ price: null, model: u.model })}
                  className="rounded-md bg-white px-2 py-1 font-mono text-xs ring-1 ring-amber-300 hover:bg-amber-100"
                  aria-label={`Add a price for ${u.model}`}
                  title={`Served by ${u.channels.join(", ")}`}
                >
                  {u.model}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {prices.length ? (
        <div className={t.wrapper}>
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>Model</th>
                <th scope="col" className={`${t.th} text-right`}>Input / 1M</th>
                <th scope="col" className={`${t.th} text-right`}>Output / 1M</th>
                <th scope="col" className={`${t.th} text-right`}>Cached input / 1M</th>
                <th scope="col" className={t.th}>Visible</th>
                <th scope="col" className={t.th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {prices.map((price) => (
                <tr key={price.model} data-testid="price-row" data-model={price.model}>
                  <td className={t.td}>
                    <div className="font-mono font-medium">{price.model}</div>
                    {price.description ? <div className="text-xs text-zinc-500">{price.description}</div> : null}
                    {price.channels && !price.channels.length ? <div className="text-xs text-amber-700">No channel serves it</div> : null}
                  </td>
                  <td className={`${t.td} text-right tabular-nums`}>{usd(price.inputPrice)}</td>
                  <td className={`${t.td} text-right tabular-nums`}>{usd(price.outputPrice)}</td>
                  <td className={`${t.td} text-right tabular-nums`}>{price.cachedInputPrice === null ? <span className="text-zinc-500">as input</span> : usd(price.cachedInputPrice)}</td>
                  <td className={t.td}>{price.visible ? <Badge tone="green">visible</Badge> : <Badge>hidden</Badge>}</td>
                  <td className={`${t.td} text-right`}>
                    <div className="flex justify-end gap-1">
                      <Button variant="ghost" size="sm" onClick={() => setForm({ price })} aria-label={`Edit price of ${price.model}`}>
                        Edit
                      </Button>
                      <Button variant="ghost" size="sm" className="text-red-600" onClick={() => setDeleting(price)} aria-label={`Delete price of ${price.model}`}>
                        Delete
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No prices yet">Add a price for each model your channels serve; unpriced models cannot be called.</EmptyState>
      )}
      <Dialog open={form !== undefined} onClose={() => setForm(undefined)} title={form?.price ? `Edit price of ${form.price.model}` : "Add a price"}>
        {form ? (
          <PriceForm
            key={form.price?.model ?? `new:${form.model ?? ""}`}
            price={form.price}
            suggestedModel={form.model}
            onCancel={() => setForm(undefined)}
            onSaved={async (saved) => {
              setForm(undefined);
              setError(null);
              setNotice(`Saved the price of ${saved.model}.`);
              await reload().catch((e: Error) => setError(e.message));
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this price?"
        confirmLabel="Delete price"
        pendingLabel="Deleting…"
        onCancel={() => setDeleting(null)}
        onConfirm={() => remove(deleting!)}
      >
        <p>
          Without a price, <code className="font-mono font-semibold text-zinc-900">{deleting?.model}</code> can no longer be called (the gateway answers 404
          within seconds).
        </p>
      </ConfirmDialog>
    </div>
  );
}
