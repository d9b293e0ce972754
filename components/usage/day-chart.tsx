import { useFormatter, useTranslations } from "next-intl";
import { displayUsd } from "@/lib/money";
import { niceTicks } from "@/lib/usage/chart-scale";
import { dayDate } from "./format";

type Day = { day: string; requests: number; cost: bigint };

/**
 * Spend (or requests when nothing was spent) per UTC day as bars, with a y-axis and, for a week
 * where there is room, each bar's value above it. HTML boxes rather than a scaled SVG, so labels
 * keep their size on a phone instead of shrinking with the drawing; how many day labels fit is a
 * container query (each label spans the columns of the days it stands for, so none spills over
 * its neighbours). Readable without scripts. The drawing is hidden from assistive technology; the
 * same numbers are in a table under it that anyone can open.
 */
export function DayChart({ days }: { days: Day[] }) {
  const t = useTranslations("usage.chart");
  const format = useFormatter();
  const useCost = days.some((d) => d.cost > 0n);
  const values = days.map((d) => (useCost ? Number(d.cost) : d.requests));
  const ticks = niceTicks(Math.max(0, ...values));
  const top = ticks.at(-1)!;
  const label = (value: number) => (useCost ? displayUsd(BigInt(value)) : format.number(value));
  const percent = (value: number) => `${(value / top) * 100}%`;
  const columns = { gridTemplateColumns: `repeat(${days.length}, minmax(0, 1fr))` };
  /** Day labels, one per `every` days, each spanning its days' columns. */
  const dayLabels = (every: number, className: string) => (
    <div style={columns} className={`grid gap-x-1 pt-1 ${className}`}>
      {days.map((d, i) =>
        i % every === 0 ? (
          <span key={d.day} style={{ gridColumn: `${i + 1} / span ${Math.min(every, days.length - i)}` }} className={`text-[11px] whitespace-nowrap text-zinc-500 ${every === 1 ? "text-center" : ""}`}>
            {format.dateTime(dayDate(d.day), { month: "numeric", day: "numeric" })}
          </span>
        ) : null,
      )}
    </div>
  );
  return (
    <figure className="@container">
      <div aria-hidden="true" className="flex pt-5" data-testid="day-chart">
        <div className="relative h-40 w-20 shrink-0">
          {ticks.map((tick) => (
            <span key={tick} style={{ bottom: percent(tick) }} className="absolute right-2 translate-y-1/2 text-[11px] leading-none whitespace-nowrap text-zinc-500 tabular-nums" data-testid="chart-tick">
              {label(tick)}
            </span>
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <div className="relative h-40">
            {ticks.map((tick) => (
              <div key={tick} style={{ bottom: percent(tick) }} className="absolute inset-x-0 border-t border-zinc-200" />
            ))}
            <div style={columns} className="absolute inset-0 grid gap-x-1">
              {days.map((d, i) => {
                const value = values[i]!;
                // The tooltip is on the day's whole column, so a day with nothing (no bar) or a
                // sliver of a bar can be pointed at too.
                return (
                  <div
                    key={d.day}
                    title={t("bar", { day: format.dateTime(dayDate(d.day), { dateStyle: "medium" }), requests: d.requests, cost: displayUsd(d.cost) })}
                    className="flex h-full items-end hover:bg-zinc-100/60"
                    data-testid="chart-day"
                  >
                    <div style={{ height: percent(value) }} className={`relative w-full ${value ? "min-h-px rounded-t-sm bg-indigo-500" : ""}`}>
                      {days.length <= 7 && value ? (
                        <span className="absolute bottom-full left-1/2 mb-1 hidden -translate-x-1/2 text-[11px] leading-none whitespace-nowrap text-zinc-700 tabular-nums @xl:block">
                          {label(value)}
                        </span>
                      ) : null}
                    </div>
                  </div>
                );
              })}
            </div>
          </div>
          {dayLabels(Math.ceil(days.length / 4), "@md:hidden")}
          {dayLabels(Math.ceil(days.length / 7), "hidden @md:grid")}
        </div>
      </div>
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
