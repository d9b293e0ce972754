import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { adjustBalance, parseAdjustment } from "@/lib/admin/users";

/**
 * POST {amountUsd: "10" | "-2.5", note} → 201 {entry, balance}: one ADJUSTMENT ledger entry with the
 * admin as actor and idempotency key "adjust:<uuid>".
 */
export const POST = portalRoute<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const admin = await requireAdmin();
  const { amount, note } = parseAdjustment(await readJsonBody(request));
  const entry = await adjustBalance(getDb(), { userId: (await params).id, amount, note, actorId: admin.id });
  return jsonResponse(
    {
      entry: { id: entry.id, kind: entry.kind, amount: entry.amount, balanceAfter: entry.balanceAfter, note: entry.note, actorId: entry.actorId, idempotencyKey: entry.idempotencyKey, createdAt: entry.createdAt },
      balance: entry.balanceAfter,
    },
    201,
  );
});
