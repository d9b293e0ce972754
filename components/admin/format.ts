import type { createFormatter } from "next-intl";

/** next-intl's formatter: `useFormatter()` in client components, `await getFormatter()` on the server. */
export type Formatter = ReturnType<typeof createFormatter>;

/** Display helpers shared by the admin console's server and client components; times are shown in UTC and say so. */
export function formatDateTime(format: Formatter, iso: string | Date | null | undefined, empty = "—"): string {
  if (!iso) return empty;
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return `${format.dateTime(date, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

export function formatDate(format: Formatter, iso: string | Date | null | undefined, empty = "—"): string {
  if (!iso) return empty;
  return format.dateTime(typeof iso === "string" ? new Date(iso) : iso, { dateStyle: "medium", timeZone: "UTC" });
}

export function formatPercent(format: Formatter, ratio: number): string {
  return format.number(ratio, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export const tableClasses = {
  table: "min-w-full divide-y divide-zinc-200 text-sm",
  head: "text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase",
  th: "px-4 py-3 whitespace-nowrap",
  body: "divide-y divide-zinc-100",
  td: "px-4 py-3 align-top",
} as const;
