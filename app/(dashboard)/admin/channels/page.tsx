import { PageHeader } from "@/components/portal/page-header";
import { AdminForbidden } from "@/components/admin/forbidden";
import { ChannelsManager } from "@/components/admin/channels-manager";
import { adminPageUser } from "@/lib/admin/page-guard";
import { getDb } from "@/lib/db/client";
import { listChannels } from "@/lib/channels/channels";
import { toChannelRow } from "@/lib/channels/channel-rows";
import { PROVIDER_TYPES } from "@/lib/gateway/providers";

export const metadata = { title: "Channels · Admin" };

export default async function AdminChannelsPage() {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const channels = await listChannels(getDb());
  return (
    <>
      <PageHeader
        title="Channels"
        description="Upstreams the gateway routes to: highest priority first, weighted within a priority, failing over on errors."
      />
      <ChannelsManager initialChannels={channels.map(toChannelRow)} providerTypes={[...PROVIDER_TYPES]} />
    </>
  );
}
