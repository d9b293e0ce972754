import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";
import { requirePageUser } from "@/lib/auth/session";
import { displayUsd } from "@/lib/money";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Billing" description={`Current balance: ${displayUsd(user.balance)}`} />
      <EmptyState title="Top-ups are not available yet">An administrator can credit your balance in the meantime.</EmptyState>
    </>
  );
}
