import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { Card, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb, Role } from "@/lib/db/client";
import { RedemptionCodesForm } from "@/components/admin/redemption-codes-form";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await getCurrentUser();
  if (user?.role !== Role.ADMIN) {
    return <EmptyState title="403 — administrators only">You do not have access to the admin console.</EmptyState>;
  }
  const db = getDb();
  const [users, channels, prices] = await Promise.all([db.user.count(), db.channel.count(), db.modelPrice.count()]);
  return (
    <>
      <PageHeader title="Admin" description="Channels, prices and users. Until the console lands, use npm run cli." />
      <div className="grid gap-4 sm:grid-cols-3">
        {[
          ["Users", users],
          ["Channels", channels],
          ["Priced models", prices],
        ].map(([label, value]) => (
          <Card key={label}>
            <CardTitle>{label}</CardTitle>
            <p className="mt-2 text-3xl font-semibold tabular-nums">{value}</p>
          </Card>
        ))}
      </div>
      <section aria-labelledby="codes" className="mt-10 rounded-xl bg-white p-5 ring-1 ring-zinc-200">
        <h2 id="codes" className="mb-4 font-semibold">
          Redemption codes
        </h2>
        <RedemptionCodesForm />
      </section>
    </>
  );
}
