import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { displayUsd } from "@/lib/money";
import type { HistoryRow } from "@/lib/billing/history";

const KIND_LABEL: Record<string, { label: string; tone: "green" | "gray" | "red" | "amber" | "indigo" }> = {
  TOPUP: { label: "Top-up", tone: "green" },
  USAGE: { label: "Usage", tone: "gray" },
  ADJUSTMENT: { label: "Adjustment", tone: "indigo" },
  REFUND: { label: "Refund", tone: "red" },
  REDEMPTION: { label: "Code", tone: "green" },
  SIGNUP_CREDIT: { label: "Welcome credit", tone: "green" },
};

function when(iso: string) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function HistoryTable({ rows }: { rows: HistoryRow[] }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">When</th>
            <th scope="col" className="px-4 py-3">Type</th>
            <th scope="col" className="px-4 py-3">Details</th>
            <th scope="col" className="px-4 py-3 text-right">Amount</th>
            <th scope="col" className="px-4 py-3 text-right">Balance after</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => {
            const kind = KIND_LABEL[row.kind] ?? { label: row.kind, tone: "gray" as const };
            const amount = BigInt(row.amount);
            return (
              <tr key={row.id} data-testid="history-row">
                <td className="px-4 py-3 whitespace-nowrap">{row.type === "usage" ? row.day : when(row.time)}</td>
                <td className="px-4 py-3">
                  <Badge tone={kind.tone}>{kind.label}</Badge>
                </td>
                <td className="px-4 py-3">
                  {row.type === "usage" ? (
                    <Link href={`/usage?day=${row.day}&model=${encodeURIComponent(row.model ?? "")}`} className="text-indigo-600 hover:text-indigo-500">
                      {row.model} · {row.requests} request{row.requests === 1 ? "" : "s"}
                    </Link>
                  ) : (
                    <span>
                      {row.note}
                      {row.receiptUrl ? (
                        <>
                          {" "}
                          <a href={row.receiptUrl} target="_blank" rel="noreferrer" className="text-indigo-600 hover:text-indigo-500">
                            Receipt
                          </a>
                        </>
                      ) : null}
                    </span>
                  )}
                </td>
                <td className={`px-4 py-3 text-right tabular-nums ${amount < 0n ? "text-zinc-900" : "text-emerald-700"}`}>
                  {amount > 0n ? "+" : ""}
                  {displayUsd(amount)}
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{row.balanceAfter ? displayUsd(BigInt(row.balanceAfter)) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
