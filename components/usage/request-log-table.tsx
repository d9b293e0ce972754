import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { displayUsd } from "@/lib/money";
import { LOG_CLOCK, LOG_DAY, MILLISECONDS, statusKey } from "./format";
import { TableScroll } from "@/components/ui/table-scroll";

export interface LogRow {
  id: string;
  createdAt: Date;
  keyName: string | null;
  model: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens read from the prompt cache (part of promptTokens). */
  cachedTokens: number;
  /** Prompt tokens written to the prompt cache (part of promptTokens). */
  cacheWriteTokens: number;
  cost: bigint;
  estimated: boolean;
  latencyMs: number;
  ttfbMs: number | null;
}

const COLUMNS = ["time", "key", "model", "endpoint", "status", "tokens", "cache", "cost", "latency", "ttfb"] as const;

export function RequestLogTable({ rows }: { rows: LogRow[] }) {
  const t = useTranslations("usage");
  const format = useFormatter();
  return (
    <TableScroll label={t("log.title")}>
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className="px-2 py-2 first:pl-3">
                {t(`log.columns.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((r) => {
            const status = statusKey(r.status);
            return (
              <tr key={r.id} data-testid="request-row">
                <td className="py-2 pr-2 pl-3">
                  <Link href={`/usage/requests/${r.id}`} className="text-indigo-600 hover:text-indigo-500">
                    <time dateTime={r.createdAt.toISOString()}>
                      <span className="whitespace-nowrap">{format.dateTime(r.createdAt, LOG_DAY)}</span>{" "}
                      <span className="whitespace-nowrap">{format.dateTime(r.createdAt, LOG_CLOCK)}</span>
                    </time>
                  </Link>
                </td>
                <td className="max-w-40 min-w-20 px-2 py-2 wrap-anywhere">{r.keyName ?? "—"}</td>
                <td className="max-w-48 min-w-24 px-2 py-2 wrap-anywhere">{r.model ?? "—"}</td>
                <td className="min-w-24 px-2 py-2 font-mono text-xs wrap-anywhere">
                  {r.endpoint}
                  {r.stream ? <span className="block font-sans text-zinc-500">{t("log.stream")}</span> : null}
                </td>
                <td className="px-2 py-2" title={t(`status.${status}`)}>
                  <Badge tone={status === "ok" ? "green" : status === "cancelled" ? "amber" : "red"}>{r.status}</Badge>
                  <span className="sr-only"> {t(`status.${status}`)}</span>
                </td>
                <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums">
                  {format.number(r.promptTokens)} / {format.number(r.completionTokens)}
                  {r.estimated ? <span title={t("log.estimated")}> *</span> : null}
                </td>
                <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums" title={t("log.cacheTitle", { reads: r.cachedTokens, writes: r.cacheWriteTokens })}>
                  {r.cachedTokens || r.cacheWriteTokens ? `${format.number(r.cachedTokens)} / ${format.number(r.cacheWriteTokens)}` : "—"}
                </td>
                <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums">{displayUsd(r.cost)}</td>
                <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums">{format.number(r.latencyMs, MILLISECONDS)}</td>
                <td className="py-2 pr-3 pl-2 text-right whitespace-nowrap tabular-nums">{r.ttfbMs === null ? "—" : format.number(r.ttfbMs, MILLISECONDS)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
