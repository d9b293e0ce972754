import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { setChannelEnabled } from "@/lib/channels/channels";
import { toChannelRow } from "@/lib/channels/channel-rows";
import { UserError, apiMessage } from "@/lib/errors";

/**
 * POST {status: "ENABLED" | "DISABLED"} → {data}. Enabling clears an automatic disable (failure
 * count and reason); disabling is manual and stays until an admin enables the channel again.
 */
export const POST = portalRoute<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const admin = await requireAdmin();
  const { status } = await readJsonBody<{ status?: unknown }>(request);
  if (status !== "ENABLED" && status !== "DISABLED") throw new UserError('status must be "ENABLED" or "DISABLED"', 400, "invalid_status", "status", apiMessage("invalidStatus"));
  const channel = await setChannelEnabled(getDb(), (await params).id, status === "ENABLED", `Disabled by ${admin.email}`);
  return jsonResponse({ data: toChannelRow(channel) });
});
