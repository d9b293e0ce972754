import { PageHeader } from "@/components/portal/page-header";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { PaymentStatus } from "@/components/billing/payment-status";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Payment" };

export default async function PaymentSuccessPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser();
  const { session_id: sessionId } = await searchParams;
  return (
    <>
      <PageHeader title="Thank you" description="Stripe has your payment; here is where it stands." />
      <Card>{sessionId ? <PaymentStatus sessionId={sessionId} /> : <Alert tone="error">This link is missing its checkout session.</Alert>}</Card>
    </>
  );
}
