"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { EmptyState } from "@/components/portal/empty-state";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import { displayUsd } from "@/lib/money";
import type { PriceRow, UnpricedModel } from "@/lib/admin/price-rows";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PriceForm, pricePath } from "./price-form";
import { tableClasses as tc } from "./format";
import { TableScroll } from "@/components/ui/table-scroll";

const usd = (micros: string | null) => (micros === null ? "—" : displayUsd(BigInt(micros)));

export function PricesManager({ initialPrices, initialUnpriced }: { initialPrices: PriceRow[]; initialUnpriced: UnpricedModel[] }) {
  const [prices, setPrices] = useState(initialPrices);
  const [unpriced, setUnpriced] = useState(initialUnpriced);
  // undefined: closed; {price: null}: adding (maybe for a suggested model); {price}: editing.
  const [form, setForm] = useState<{ price: PriceRow | null; model?: string } | undefined>(undefined);
  const [deleting, setDeleting] = useState<PriceRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const t = useTranslations("admin.prices");
  const errorText = useErrorText();

  async function reload() {
    const result = await portalFetch<{ data: PriceRow[]; unpriced: UnpricedModel[] }>("/api/admin/prices");
    setPrices(result.data);
    setUnpriced(result.unpriced);
  }

  async function remove(price: PriceRow) {
    await portalFetch(pricePath(price.model), { method: "DELETE" });
    setDeleting(null);
    setNotice(t("deletedNotice", { model: price.model }));
    await reload().catch((e: unknown) => setError(errorText(e)));
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">{t("intro")}</p>
        <Button onClick={() => setForm({ price: null })}>{t("add")}</Button>
      </div>
      {unpriced.length ? (
        <div data-testid="unpriced-models" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          <p className="font-medium">{t("unpricedIntro")}</p>
          <ul className="mt-2 flex flex-wrap gap-2">
            {unpriced.map((u) => (
              <li key={u.model}>
                <button
                  type="button"
                  onClick={() => setForm({ price: null, model: u.model })}
                  className="rounded-md bg-white px-2 py-1 font-mono text-xs ring-1 ring-amber-300 hover:bg-amber-100"
                  aria-label={t("addFor", { model: u.model })}
                  title={t("servedBy", { channels: u.channels.join(", ") })}
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
        <TableScroll label={t("title")}>
          <table className={tc.table}>
            <thead className={tc.head}>
              <tr>
                <th scope="col" className={tc.th}>{t("columns.model")}</th>
                <th scope="col" className={`${tc.th} text-right`}>{t("columns.input")}</th>
                <th scope="col" className={`${tc.th} text-right`}>{t("columns.output")}</th>
                <th scope="col" className={`${tc.th} text-right`}>{t("columns.cached")}</th>
                <th scope="col" className={`${tc.th} text-right`}>{t("columns.cacheWrite")}</th>
                <th scope="col" className={tc.th}>{t("columns.visible")}</th>
                <th scope="col" className={tc.th}>
                  <span className="sr-only">{t("columns.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className={tc.body}>
              {prices.map((price) => (
                <tr key={price.model} data-testid="price-row" data-model={price.model}>
                  <td className={tc.td}>
                    <div className="font-mono font-medium">{price.model}</div>
                    {price.description ? <div className="text-xs text-zinc-500">{price.description}</div> : null}
                    {price.channels && !price.channels.length ? <div className="text-xs text-amber-700">{t("noChannel")}</div> : null}
                  </td>
                  <td className={`${tc.td} text-right tabular-nums`}>{usd(price.inputPrice)}</td>
                  <td className={`${tc.td} text-right tabular-nums`}>{usd(price.outputPrice)}</td>
                  <td className={`${tc.td} text-right tabular-nums`}>{price.cachedInputPrice === null ? <span className="text-zinc-500">{t("asInput")}</span> : usd(price.cachedInputPrice)}</td>
                  <td className={`${tc.td} text-right whitespace-nowrap tabular-nums`}>
                    {price.cacheWritePrice === null && price.cacheWrite1hPrice === null ? (
                      <span className="text-zinc-500">{t("asInput")}</span>
                    ) : (
                      // 5 minutes · 1 hour; an unset 1-hour rate is the 5-minute one, an unset 5-minute rate the input one.
                      `${usd(price.cacheWritePrice ?? price.inputPrice)} · ${usd(price.cacheWrite1hPrice ?? price.cacheWritePrice ?? price.inputPrice)}`
                    )}
                  </td>
                  <td className={tc.td}>{price.visible ? <Badge tone="green">{t("visible")}</Badge> : <Badge>{t("hidden")}</Badge>}</td>
                  <td className={`${tc.td} text-right`}>
                    <div className="flex justify-end gap-1">
                      <Button variant="secondary" size="sm" onClick={() => setForm({ price })} aria-label={t("editLabel", { model: price.model })}>
                        {t("edit")}
                      </Button>
                      <Button variant="danger" size="sm" onClick={() => setDeleting(price)} aria-label={t("deleteLabel", { model: price.model })}>
                        {t("delete")}
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>
      )}
      <Dialog open={form !== undefined} onClose={() => setForm(undefined)} title={form?.price ? t("editTitle", { model: form.price.model }) : t("addTitle")}>
        {form ? (
          <PriceForm
            key={form.price?.model ?? `new:${form.model ?? ""}`}
            price={form.price}
            suggestedModel={form.model}
            onCancel={() => setForm(undefined)}
            onSaved={async (saved) => {
              setForm(undefined);
              setError(null);
              setNotice(t("savedNotice", { model: saved.model }));
              await reload().catch((e: unknown) => setError(errorText(e)));
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle")}
        confirmLabel={t("deleteConfirm")}
        pendingLabel={t("deleting")}
        onCancel={() => setDeleting(null)}
        onConfirm={() => remove(deleting!)}
      >
        <p>
          {t.rich("deleteBody", {
            model: deleting?.model ?? "",
            code: (chunks) => <code className="font-mono font-semibold text-zinc-900">{chunks}</code>,
          })}
        </p>
      </ConfirmDialog>
    </div>
  );
}
