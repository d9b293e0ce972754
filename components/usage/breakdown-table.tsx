import { useFormatter, useTranslations } from "next-intl";
import { displayUsd } from "@/lib/money";
import { ScrollArea } from "@/components/ui/scroll-area";

export interface BreakdownRow {
  label: string;
  sublabel?: string;
  requests: number;
  tokens: number;
  cost: bigint;
}

export function BreakdownTable({ title, rows }: { title: string; rows: BreakdownRow[] }) {
  const t = useTranslations("usage.breakdown");
  const format = useFormatter();
  return (
    <ScrollArea label={title} className="rounded-xl bg-white ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <caption className="px-4 pt-3 text-left font-semibold">{title}</caption>
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
              <tr key={row.label + (row.sublabel ?? "")}>
                <td className="px-4 py-2">
                  {row.label}
                  {row.sublabel ? <span className="ml-2 font-mono text-xs text-zinc-500">{row.sublabel}</span> : null}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{format.number(row.requests)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{format.number(row.tokens)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{displayUsd(row.cost)}</td>
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
    </ScrollArea>
  );
}
