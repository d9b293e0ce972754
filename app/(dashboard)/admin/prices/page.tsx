import { PageHeader } from "@/components/portal/page-header";
import { AdminForbidden } from "@/components/admin/forbidden";
import { PricesManager } from "@/components/admin/prices-manager";
import { adminPageUser } from "@/lib/admin/page-guard";
import { pricesOverview } from "@/lib/admin/prices";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "Prices · Admin" };

export default async function AdminPricesPage() {
  if (!(await adminPageUser())) return <AdminForbidden />;
  const { data, unpriced } = await pricesOverview(getDb());
  return (
    <>
      <PageHeader title="Model prices" description="What each model costs callers, per million tokens. Changes apply within 5 seconds." />
      <PricesManager initialPrices={data} initialUnpriced={unpriced} />
    </>
  );
}
