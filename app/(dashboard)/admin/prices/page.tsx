import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { AdminForbidden } from "@/components/admin/forbidden";
import { PricesManager } from "@/components/admin/prices-manager";
import { adminPageUser } from "@/lib/admin/page-guard";
import { pricesOverview } from "@/lib/admin/prices";
import { getDb } from "@/lib/db/client";

export async function generateMetadata() {
  const t = await getTranslations("admin.meta");
  return { title: t("prices") };
}

export default async function AdminPricesPage() {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const [{ data, unpriced }, t] = await Promise.all([pricesOverview(getDb()), getTranslations("admin.prices")]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <PricesManager initialPrices={data} initialUnpriced={unpriced} />
    </>
  );
}
