import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { TopUpForm } from "@/components/billing/top-up-form";
import { RedeemForm } from "@/components/billing/redeem-form";
import { BillingSettingsForm } from "@/components/billing/billing-settings-form";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { displayUsd, formatUsd } from "@/lib/money";
import { stripeConfigured, topupLimits } from "@/lib/billing/stripe/client";

export const metadata = { title: "Billing" };

const plain = (micros: bigint | null) => (micros === null ? "" : formatUsd(micros).replace(/\.?0+$/, ""));

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser();
  const params = await searchParams;
  const settings = await getDb().user.findUniqueOrThrow({
    where: { id: user.id },
    select: { lowBalanceThreshold: true, autoRechargeEnabled: true, autoRechargeThreshold: true, autoRechargeAmount: true, autoRechargePaymentMethodId: true, autoRechargeError: true },
  });
  const stripe = stripeConfigured();
  const limits = topupLimits();
  return (
    <>
      <PageHeader
        title="Billing"
        description="Prepaid balance: every API call is billed to the micro-dollar."
        actions={
          <Link href="/billing/history" className="text-sm font-semibold text-indigo-600 hover:text-indigo-500">
            Transaction history →
          </Link>
        }
      />
      {params.canceled ? (
        <Alert tone="info" className="mb-6">
          Checkout was canceled; nothing was charged.
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>Balance</CardTitle>
          <p className="mt-2 text-4xl font-semibold tabular-nums" data-testid="billing-balance">
            {displayUsd(user.balance)}
          </p>
          <CardDescription>Paid models are refused (HTTP 402) when the balance cannot cover a call; free models always work.</CardDescription>
        </Card>
        <Card>
          <CardTitle>Add funds</CardTitle>
          <div className="mt-4">
            {stripe ? (
              <TopUpForm minUsd={plain(limits.min)} maxUsd={plain(limits.max)} />
            ) : (
              <Alert tone="info">
                Card top-ups are not configured on this server. An administrator can enable them by setting <code>STRIPE_SECRET_KEY</code> and{" "}
                <code>STRIPE_WEBHOOK_SECRET</code> (see the README), or credit your balance directly. You can still redeem a code below.
              </Alert>
            )}
          </div>
        </Card>
        <Card>
          <CardTitle>Redeem a code</CardTitle>
          <div className="mt-4">
            <RedeemForm />
          </div>
        </Card>
        <Card>
          <CardTitle>Alerts and auto-recharge</CardTitle>
          <div className="mt-4">
            <BillingSettingsForm
              stripeEnabled={stripe}
              initial={{
                lowBalanceThresholdUsd: plain(settings.lowBalanceThreshold),
                autoRechargeEnabled: settings.autoRechargeEnabled,
                autoRechargeThresholdUsd: plain(settings.autoRechargeThreshold),
                autoRechargeAmountUsd: plain(settings.autoRechargeAmount),
                hasSavedCard: !!settings.autoRechargePaymentMethodId,
                autoRechargeError: settings.autoRechargeError,
              }}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
