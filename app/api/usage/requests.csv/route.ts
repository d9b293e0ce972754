import { getDb } from "@/lib/db/client";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { parseUsageFilters, requestLogPage } from "@/lib/usage/queries";
import { csvField } from "@/lib/billing/ledger-csv";
import { formatUsd } from "@/lib/money";

const HEADER = "id,time,key,model,endpoint,stream,status,prompt_tokens,completion_tokens,cached_tokens,cache_write_tokens,cache_write_1h_tokens,reasoning_tokens,cost_usd,estimated,latency_ms,ttfb_ms,error\n";

/** The request log under the usage page's filters, as CSV, streamed page by page. */
export const GET = portalRoute(async (request) => {
  const user = await requireUser();
  const filters = parseUsageFilters(user.id, new URL(request.url).searchParams);
  const db = getDb();
  const encoder = new TextEncoder();
  let cursor: string | null | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (cursor === undefined) {
        controller.enqueue(encoder.encode(HEADER));
        cursor = null;
      }
      const page = await requestLogPage(db, filters, cursor, 1000);
      controller.enqueue(
        encoder.encode(
          page.rows
            .map((r) =>
              [r.id, r.createdAt.toISOString(), csvField(r.apiKey?.name), csvField(r.model), r.endpoint, r.stream, r.status, r.promptTokens, r.completionTokens, r.cachedTokens, r.cacheWriteTokens, r.cacheWrite1hTokens, r.reasoningTokens, formatUsd(r.cost), r.estimated, r.latencyMs, r.ttfbMs ?? "", csvField(r.errorMessage)].join(",") + "\n",
            )
            .join(""),
        ),
      );
      if (!page.nextCursor) controller.close();
      cursor = page.nextCursor;
    },
  });
  return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="rootapi-requests.csv"` } });
});
