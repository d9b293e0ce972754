import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { createRedemptionCodes } from "@/lib/billing/redemption";
import { parseUsd } from "@/lib/money";
import { UserError } from "@/lib/errors";

/** POST {amountUsd, count?, note?} → {codes}: shown once, only their hashes are kept. */
export const POST = portalRoute(async (request) => {
  const admin = await requireAdmin();
  const body = await readJsonBody<{ amountUsd?: unknown; count?: unknown; note?: unknown }>(request);
  let amount: bigint;
  try {
    amount = parseUsd(String(body.amountUsd ?? ""));
  } catch (error) {
    throw UserError.on(error, "amountUsd", "invalid_amount");
  }
  const codes = await createRedemptionCodes(getDb(), {
    amount,
    count: body.count === undefined || body.count === "" ? 1 : Number(body.count),
    note: typeof body.note === "string" && body.note.trim() ? body.note.trim() : null,
    createdById: admin.id,
  });
  return jsonResponse({ codes }, 201);
});
