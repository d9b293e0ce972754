import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { displayUsd } from "@/lib/money";

export interface LogRow {
  id: string;
  createdAt: Date;
  keyName: string | null;
  model: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  promptTokens: number;
  completionTokens: number;
  cost: bigint;
  estimated: boolean;
  latencyMs: number;
  ttfbMs: number | null;
}

export function RequestLogTable({ rows }: { rows: LogRow[] }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            {["Time", "Key", "Model", "Endpoint", "Status", "Tokens in/out", "Cost", "Latency", "TTFB"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 whitespace-nowrap">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((r) => (
            <tr key={r.id} data-testid="request-row">
              <td className="px-3 py-2 whitespace-nowrap">
                <Link href={`/usage/requests/${r.id}`} className="text-indigo-600 hover:text-indigo-500">
                  {r.createdAt.toISOString().replace("T", " ").slice(0, 19)}
                </Link>
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{r.keyName ?? "—"}</td>
              <td className="px-3 py-2 whitespace-nowrap">{r.model ?? "—"}</td>
              <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">
                {r.endpoint}
                {r.stream ? " (stream)" : ""}
              </td>
              <td className="px-3 py-2">
                <Badge tone={r.status < 400 ? "green" : r.status === 499 ? "amber" : "red"}>{r.status}</Badge>
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                {r.promptTokens.toLocaleString()} / {r.completionTokens.toLocaleString()}
                {r.estimated ? <span title="Counted locally: the upstream reported no usage"> *</span> : null}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{displayUsd(r.cost)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{r.latencyMs} ms</td>
              <td className="px-3 py-2 text-right tabular-nums">{r.ttfbMs === null ? "—" : `${r.ttfbMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
