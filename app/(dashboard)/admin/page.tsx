import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { Card, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb, Role } from "@/lib/db/client";

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
    </>
  );
}
