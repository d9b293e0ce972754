import { getDb } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { testAndRecordChannel } from "@/lib/channels/channels";
import { toChannelRow } from "@/lib/channels/channel-rows";

/**
 * POST → {ok, latencyMs, status, error, data}: sends the channel a one-token request and records
 * lastCheckedAt, lastLatencyMs and (on failure) lastError on it. A failing upstream is a 200 with ok: false.
 */
export const POST = portalRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  await requireAdmin();
  const { result, channel } = await testAndRecordChannel(getDb(), (await params).id);
  return jsonResponse({ ...result, data: toChannelRow(channel) });
});
