import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { AdminForbidden } from "@/components/admin/forbidden";
import { ChannelsManager } from "@/components/admin/channels-manager";
import { adminPageUser } from "@/lib/admin/page-guard";
import { getDb } from "@/lib/db/client";
import { listChannels } from "@/lib/channels/channels";
import { toChannelRow } from "@/lib/channels/channel-rows";
import { PROVIDER_TYPES } from "@/lib/gateway/providers";

export async function generateMetadata() {
  const t = await getTranslations("admin.meta");
  return { title: t("channels") };
}

export default async function AdminChannelsPage() {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const [channels, t] = await Promise.all([listChannels(getDb()), getTranslations("admin.channels")]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ChannelsManager initialChannels={channels.map(toChannelRow)} providerTypes={[...PROVIDER_TYPES]} />
    </>
  );
}
