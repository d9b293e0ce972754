import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { displayUsd } from "@/lib/money";
import type { HistoryRow } from "@/lib/billing/history";
import { TableScroll } from "@/components/ui/table-scroll";

type Tone = "green" | "gray" | "red" | "amber" | "indigo";
const KIND_TONE: Record<string, Tone> = {
  TOPUP: "green",
  USAGE: "gray",
  ADJUSTMENT: "indigo",
  REFUND: "red",
  REDEMPTION: "green",
  SIGNUP_CREDIT: "green",
};
const KINDS = ["TOPUP", "USAGE", "ADJUSTMENT", "REFUND", "REDEMPTION", "SIGNUP_CREDIT"] as const;
const isKind = (kind: string): kind is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(kind);

/** Times in UTC (the provider's time zone), saying so. */
const WHEN = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" } as const;

type Translate = ReturnType<typeof useTranslations<"billing.history.table">>;

/** The notes RootAPI itself writes into the ledger (in English, see lib/billing) in the reader's language; others as written. */
function noteText(note: string | null, t: Translate): string | null {
  if (!note) return note;
  if (note === "Card top-up (Stripe Checkout)") return t("notes.cardTopUp");
  if (note === "Auto-recharge (Stripe)") return t("notes.autoRecharge");
  if (note === "Welcome credit") return t("notes.welcomeCredit");
  const refund = /^Card refund \((\S+) of (\S+) refunded\)$/.exec(note);
  if (refund) return t("notes.refund", { refunded: refund[1]!, amount: refund[2]! });
  const redeemed = /^Redeemed code (\S+…)(?: \((.*)\))?$/s.exec(note);
  if (redeemed) return redeemed[2] ? t("notes.redeemedWithNote", { code: redeemed[1]!, note: redeemed[2] }) : t("notes.redeemed", { code: redeemed[1]! });
  return note;
}

export function HistoryTable({ rows }: { rows: HistoryRow[] }) {
  const t = useTranslations("billing.history.table");
  const format = useFormatter();
  return (
    <TableScroll label={t("label")}>
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">{t("when")}</th>
            <th scope="col" className="px-4 py-3">{t("type")}</th>
            <th scope="col" className="px-4 py-3">{t("details")}</th>
            <th scope="col" className="px-4 py-3 text-right">{t("amount")}</th>
            <th scope="col" className="px-4 py-3 text-right">{t("balanceAfter")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => {
            const label = isKind(row.kind) ? t(`kinds.${row.kind}`) : row.kind;
            const amount = BigInt(row.amount);
            return (
              <tr key={row.id} data-testid="history-row">
                <td className="px-4 py-3 whitespace-nowrap">
                  {row.type === "usage" ? t("utcDay", { day: row.day ?? "" }) : format.dateTime(new Date(row.time), WHEN)}
                </td>
                <td className="px-4 py-3">
                  <Badge tone={KIND_TONE[row.kind] ?? "gray"}>{label}</Badge>
                </td>
                <td className="min-w-40 px-4 py-3 wrap-anywhere">
                  {row.type === "usage" ? (
                    <Link href={`/usage?day=${row.day}&model=${encodeURIComponent(row.model ?? "")}`} className="text-indigo-600 hover:text-indigo-500">
                      {t("usageDetails", { model: row.model ?? "", count: row.requests ?? 0 })}
                    </Link>
                  ) : (
                    <span>
                      {noteText(row.note, t)}
                      {row.receiptUrl ? (
                        <>
                          {" "}
                          <a href={row.receiptUrl} target="_blank" rel="noreferrer" className="text-indigo-600 hover:text-indigo-500">
                            {t("receipt")}
                          </a>
                        </>
                      ) : null}
                    </span>
                  )}
                </td>
                <td className={`px-4 py-3 text-right whitespace-nowrap tabular-nums ${amount < 0n ? "text-zinc-900" : "text-emerald-700"}`}>
                  {amount > 0n ? "+" : ""}
                  {displayUsd(amount)}
                </td>
                <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">{row.balanceAfter ? displayUsd(BigInt(row.balanceAfter)) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
