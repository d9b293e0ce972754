/** Display helpers shared by the admin console's server and client components. */
export function formatDateTime(iso: string | Date | null | undefined, empty = "—"): string {
  if (!iso) return empty;
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

export function formatDate(iso: string | Date | null | undefined, empty = "—"): string {
  if (!iso) return empty;
  return (typeof iso === "string" ? new Date(iso) : iso).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

export const tableClasses = {
  // relative: keeps absolutely positioned children (sr-only headers) inside the scroll area on phones.
  wrapper: "relative overflow-x-auto rounded-xl bg-white ring-1 ring-zinc-200",
  table: "min-w-full divide-y divide-zinc-200 text-sm",
  head: "bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase",
  th: "px-4 py-3 whitespace-nowrap",
  body: "divide-y divide-zinc-100",
  td: "px-4 py-3 align-top",
} as const;
