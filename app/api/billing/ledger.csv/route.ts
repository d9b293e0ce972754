import { getDb } from "@/lib/db/client";
import { portalRoute } from "@/lib/http/portal-route";
import { requireUser } from "@/lib/auth/session";
import { ledgerCsv } from "@/lib/billing/ledger-csv";
import { UserError, apiMessage } from "@/lib/errors";

function dayParam(url: URL, name: string, addDays = 0): Date | undefined {
  const value = url.searchParams.get(name);
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UserError(`${name} must be a date like 2026-01-31`, 400, "invalid_date", name, apiMessage("invalidDate", { field: name }));
  return new Date(new Date(`${value}T00:00:00.000Z`).getTime() + addDays * 86_400_000);
}

/** GET /api/billing/ledger.csv?from=YYYY-MM-DD&to=YYYY-MM-DD (to inclusive) — streamed. */
export const GET = portalRoute(async (request) => {
  const user = await requireUser();
  const url = new URL(request.url);
  const rows = ledgerCsv(getDb(), user.id, { from: dayParam(url, "from"), to: dayParam(url, "to", 1) });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await rows.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="rootapi-ledger-${new Date().toISOString().slice(0, 10)}.csv"` },
  });
});
