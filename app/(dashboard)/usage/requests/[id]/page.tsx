import { notFound } from "next/navigation";
import { PageHeader } from "@/components/portal/page-header";
import { Card } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { displayUsd } from "@/lib/money";

export const metadata = { title: "Request" };

export default async function RequestDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  const row = await getDb().requestLog.findFirst({ where: { id, userId: user.id }, include: { apiKey: { select: { name: true, prefix: true } } } });
  if (!row) notFound();
  const fields: Array<[string, string]> = [
    ["Request id", row.id],
    ["Time (UTC)", row.createdAt.toISOString()],
    ["Key", row.apiKey ? `${row.apiKey.name} (${row.apiKey.prefix})` : "—"],
    ["Endpoint", `${row.endpoint}${row.stream ? " (stream)" : ""}`],
    ["Model", row.model ?? "—"],
    ["Upstream model", row.upstreamModel ?? "—"],
    ["Status", String(row.status)],
    ["Prompt tokens", `${row.promptTokens} (cached ${row.cachedTokens})`],
    ["Completion tokens", `${row.completionTokens} (reasoning ${row.reasoningTokens})`],
    ["Counted by", row.estimated ? "RootAPI's tokenizer (the upstream reported no usage)" : "the upstream's usage report"],
    ["Cost", `${displayUsd(row.cost)} (${row.cost} µ$)`],
    ["Latency", `${row.latencyMs} ms`],
    ["Time to first byte", row.ttfbMs === null ? "—" : `${row.ttfbMs} ms`],
    ["Upstream attempts", String(row.attempts)],
    ["Error", row.errorMessage ? `${row.errorCode}: ${row.errorMessage}` : "—"],
  ];
  return (
    <>
      <PageHeader title="Request" description={row.id} />
      <Card>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
          {fields.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-medium text-zinc-600">{label}</dt>
              <dd className="font-mono break-all">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </>
  );
}
