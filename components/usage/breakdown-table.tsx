import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { TableScroll } from "@/components/ui/table-scroll";
import { displayUsd } from "@/lib/money";

export interface BreakdownRow {
  label: string;
  sublabel?: string;
  requests: number;
  tokens: number;
  cost: bigint;
  /** Every request failed and nothing was spent (e.g. an unknown model): marked, so it does not read as spend. */
  failedOnly?: boolean;
}

export function BreakdownTable({ title, rows }: { title: string; rows: BreakdownRow[] }) {
  const t = useTranslations("usage.breakdown");
  const format = useFormatter();
  return (
    <TableScroll label={title}>
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <caption className="bg-white px-4 pt-3 pb-2 text-left font-semibold">{title}</caption>
        <thead className="text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2">{t("name")}</th>
            <th scope="col" className="px-4 py-2 text-right">{t("requests")}</th>
            <th scope="col" className="px-4 py-2 text-right">{t("tokens")}</th>
            <th scope="col" className="px-4 py-2 text-right">{t("spend")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.length ? (
            rows.map((row) => (
              <tr key={row.label + (row.sublabel ?? "")} data-testid="breakdown-row" data-failed-only={row.failedOnly ? "true" : undefined}>
                <th scope="row" className="max-w-56 min-w-28 px-4 py-2 text-left font-normal wrap-anywhere">
                  <span className={row.failedOnly ? "text-zinc-500" : undefined}>{row.label}</span>
                  {row.sublabel ? <span className="ml-2 font-mono text-xs text-zinc-500">{row.sublabel}</span> : null}
                  {row.failedOnly ? (
                    <span className="mt-1 block">
                      <Badge tone="red">{t("allFailed")}</Badge>
                    </span>
                  ) : null}
                </th>
                <td className="px-4 py-2 text-right tabular-nums">{format.number(row.requests)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{format.number(row.tokens)}</td>
                <td className="px-4 py-2 text-right whitespace-nowrap tabular-nums">{displayUsd(row.cost)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={4} className="px-4 py-6 text-center text-zinc-500">
                {t("empty")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </TableScroll>
  );
}
