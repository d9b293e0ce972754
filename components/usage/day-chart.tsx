import { useFormatter, useTranslations } from "next-intl";
import { displayUsd } from "@/lib/money";
import { niceTicks } from "@/lib/usage/chart-scale";
import { dayDate } from "./format";

type Day = { day: string; requests: number; cost: bigint };

/**
 * Spend (or requests when nothing was spent) per UTC day as bars: plain SVG, readable without
 * scripts, with a y-axis and — for a week or two — each bar's value above it. The drawing is hidden
 * from assistive technology; the same numbers are in a table under it that anyone can open.
 */
export function DayChart({ days }: { days: Day[] }) {
  const t = useTranslations("usage.chart");
  const format = useFormatter();
  const useCost = days.some((d) => d.cost > 0n);
  const values = days.map((d) => (useCost ? Number(d.cost) : d.requests));
  const ticks = niceTicks(Math.max(0, ...values));
  const top = ticks.at(-1)!;
  const label = (value: number) => (useCost ? displayUsd(BigInt(value)) : format.number(value));
  const width = 640;
  const height = 160;
  const axis = 56;
  const headroom = 16;
  const gap = 4;
  const bar = Math.max(2, (width - axis - gap * (days.length - 1)) / Math.max(1, days.length));
  const y = (value: number) => headroom + height - (value / top) * height;
  const showValues = days.length <= 14;
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${headroom + height + 20}`} className="h-auto w-full" aria-hidden="true" data-testid="day-chart">
        {ticks.map((tick) => (
          <g key={tick} data-testid="chart-tick">
            <line x1={axis} x2={width} y1={y(tick)} y2={y(tick)} className="stroke-zinc-200" strokeWidth={1} />
            <text x={axis - 6} y={y(tick) + 3} textAnchor="end" className="fill-zinc-500 text-[10px] tabular-nums">
              {label(tick)}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const value = values[i]!;
          const h = (value / top) * height;
          const x = axis + i * (bar + gap);
          const date = dayDate(d.day);
          return (
            <g key={d.day}>
              <title>{t("bar", { day: format.dateTime(date, { dateStyle: "medium" }), requests: d.requests, cost: displayUsd(d.cost) })}</title>
              <rect x={x} y={y(value)} width={bar} height={Math.max(h, value ? 1 : 0)} rx={2} className="fill-indigo-500" />
              {showValues && value ? (
                <text x={x + bar / 2} y={y(value) - 4} textAnchor="middle" className="fill-zinc-700 text-[10px] tabular-nums">
                  {label(value)}
                </text>
              ) : null}
              {days.length <= 14 || i % Math.ceil(days.length / 10) === 0 ? (
                <text x={x + bar / 2} y={headroom + height + 14} textAnchor="middle" className="fill-zinc-500 text-[10px]">
                  {format.dateTime(date, { month: "short", day: "numeric" })}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-zinc-500">{useCost ? t("spendCaption") : t("requestsCaption")}</figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-xs font-medium text-indigo-600">{t("showTable")}</summary>
        <table className="mt-2 text-sm" data-testid="day-chart-table">
          <caption className="sr-only">{useCost ? t("spendPerDay") : t("requestsPerDay")}</caption>
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th scope="col" className="py-1 pr-6">{t("day")}</th>
              <th scope="col" className="py-1 pr-6 text-right">{t("requests")}</th>
              <th scope="col" className="py-1 text-right">{t("spend")}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row" className="py-0.5 pr-6 text-left font-normal whitespace-nowrap">{format.dateTime(dayDate(d.day), { dateStyle: "medium" })}</th>
                <td className="py-0.5 pr-6 text-right tabular-nums">{format.number(d.requests)}</td>
                <td className="py-0.5 text-right tabular-nums">{displayUsd(d.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
