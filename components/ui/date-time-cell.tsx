import { useFormatter } from "next-intl";

/**
 * A UTC date and time for a table cell: date and time each stay whole but may sit on two lines,
 * so a table of several timestamps fits a laptop screen.
 */
export function DateTimeCell({ value, empty = "—" }: { value: string | Date | null; empty?: string }) {
  const format = useFormatter();
  if (!value) return <span className="whitespace-nowrap">{empty}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={date.toISOString()}>
      <span className="whitespace-nowrap">{format.dateTime(date, { dateStyle: "medium", timeZone: "UTC" })}</span>{" "}
      <span className="whitespace-nowrap">{format.dateTime(date, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" })} UTC</span>
    </time>
  );
}
