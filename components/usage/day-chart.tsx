import { useFormatter, useTranslations } from "next-intl";
import { displayUsd } from "@/lib/money";
import { dayDate } from "./format";

/** Spend (or requests when nothing was spent) per day as bars: plain SVG, readable without scripts. Days are UTC days. */
export function DayChart({ days }: { days: Array<{ day: string; requests: number; cost: bigint }> }) {
  const t = useTranslations("usage.chart");
  const format = useFormatter();
  const useCost = days.some((d) => d.cost > 0n);
  const values = days.map((d) => (useCost ? Number(d.cost) : d.requests));
  const max = Math.max(1, ...values);
  const width = 640;
  const height = 160;
  const gap = 4;
  const bar = Math.max(2, (width - gap * (days.length - 1)) / Math.max(1, days.length));
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height + 20}`} className="h-48 w-full" role="img" aria-label={useCost ? t("spendPerDay") : t("requestsPerDay")}>
        {days.map((d, i) => {
          const h = Math.round((values[i]! / max) * height);
          const x = i * (bar + gap);
          const date = dayDate(d.day);
          return (
            <g key={d.day}>
              <title>{t("bar", { day: format.dateTime(date, { dateStyle: "medium" }), requests: d.requests, cost: displayUsd(d.cost) })}</title>
              <rect x={x} y={height - h} width={bar} height={Math.max(h, values[i] ? 1 : 0)} rx={2} className="fill-indigo-500" />
              {days.length <= 14 || i % Math.ceil(days.length / 10) === 0 ? (
                <text x={x + bar / 2} y={height + 14} textAnchor="middle" className="fill-zinc-500 text-[10px]">
                  {format.dateTime(date, { month: "short", day: "numeric" })}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-zinc-500">{useCost ? t("spendCaption") : t("requestsCaption")}</figcaption>
    </figure>
  );
}
