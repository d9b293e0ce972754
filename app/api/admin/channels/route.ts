import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { addChannel, listChannels } from "@/lib/channels/channels";
import { parseNewChannel, type ChannelBody } from "@/lib/channels/channel-body";
import { toChannelRow } from "@/lib/channels/channel-rows";
import { invalidateCatalog } from "@/lib/gateway/routing/catalog";

/** GET → {data: ChannelRow[]} (the upstream key only as hasApiKey). */
export const GET = portalRoute(async () => {
  await requireAdmin();
  const channels = await listChannels(getDb());
  return jsonResponse({ data: channels.map(toChannelRow) });
});

/** POST {name, type, baseUrl?, apiKey?, models, modelMapping?, priority?, weight?, timeoutMs?, supportsResponses?} → 201 {data} */
export const POST = portalRoute(async (request) => {
  await requireAdmin();
  const body = await readJsonBody<ChannelBody>(request);
  const db = getDb();
  const created = await addChannel(db, parseNewChannel(body));
  invalidateCatalog();
  const channel = await db.channel.findUniqueOrThrow({ where: { id: created.id } });
  return jsonResponse({ data: toChannelRow(channel) }, 201);
});
