import type { DateTimeFormatOptions, NumberFormatOptions } from "next-intl";

/** Request times as "Jan 2, 2026, 14:05:09" / "2026年1月2日 14:05:09": 24-hour, to the second, in UTC (the i18n config's time zone). */
export const LOG_TIME: DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
};

/** LOG_TIME in two parts, so a table cell may put the time under the date. */
export const LOG_DAY: DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };
export const LOG_CLOCK: DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };

/** Durations: "1,234 ms" / "1,234毫秒". */
export const MILLISECONDS: NumberFormatOptions = { style: "unit", unit: "millisecond", unitDisplay: "short" };

/** A "YYYY-MM-DD" day of the usage queries as a UTC date. */
export const dayDate = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** The status names of usage.status: 499 means the client went away before the answer was complete (billed for what was streamed). */
export const statusKey = (status: number): "ok" | "cancelled" | "error" => (status < 400 ? "ok" : status === 499 ? "cancelled" : "error");
