import { displayUsd } from "@/lib/money";

export interface BreakdownRow {
  label: string;
  sublabel?: string;
  requests: number;
  tokens: number;
  cost: bigint;
}

export function BreakdownTable({ title, rows }: { title: string; rows: BreakdownRow[] }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <caption className="px-4 pt-3 text-left font-semibold">{title}</caption>
        <thead className="text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2">Name</th>
            <th scope="col" className="px-4 py-2 text-right">Requests</th>
            <th scope="col" className="px-4 py-2 text-right">Tokens</th>
            <th scope="col" className="px-4 py-2 text-right">Spend</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.length ? (
            rows.map((row) => (
              <tr key={row.label + (row.sublabel ?? "")}>
                <td className="px-4 py-2">
                  {row.label}
                  {row.sublabel ? <span className="ml-2 font-mono text-xs text-zinc-500">{row.sublabel}</span> : null}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{row.requests.toLocaleString()}</td>
                <td className="px-4 py-2 text-right tabular-nums">{row.tokens.toLocaleString()}</td>
                <td className="px-4 py-2 text-right tabular-nums">{displayUsd(row.cost)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={4} className="px-4 py-6 text-center text-zinc-500">
                No requests in this period.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
