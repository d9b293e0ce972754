import { getDb } from "@/lib/db/client";
import { jsonResponse, readJsonBody } from "@/lib/http/json";
import { portalRoute } from "@/lib/http/portal-route";
import { requireAdmin } from "@/lib/auth/session";
import { deleteChannel, getChannel, updateChannel } from "@/lib/channels/channels";
import { parseChannelPatch, type ChannelBody } from "@/lib/channels/channel-body";
import { toChannelRow } from "@/lib/channels/channel-rows";
import { UserError, apiMessage } from "@/lib/errors";

type Context = { params: Promise<{ id: string }> };

export const GET = portalRoute<Context>(async (_request, { params }) => {
  await requireAdmin();
  const channel = await getChannel(getDb(), (await params).id);
  if (!channel) throw new UserError("Channel not found", 404, "not_found", undefined, apiMessage("channelNotFound"));
  return jsonResponse({ data: toChannelRow(channel) });
});

/** PATCH with any fields of the create body; an empty or missing apiKey keeps the stored key. → {data} */
export const PATCH = portalRoute<Context>(async (request, { params }) => {
  await requireAdmin();
  const body = await readJsonBody<ChannelBody>(request);
  const channel = await updateChannel(getDb(), (await params).id, parseChannelPatch(body));
  return jsonResponse({ data: toChannelRow(channel) });
});

/** DELETE → {id, deleted: true}; the channel's request log rows stay, without it. */
export const DELETE = portalRoute<Context>(async (_request, { params }) => {
  await requireAdmin();
  const { id } = await params;
  await deleteChannel(getDb(), id);
  return jsonResponse({ id, deleted: true });
});
