import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
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

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("billing");
  return { title: t("title") };
}

const plain = (micros: bigint | null) => (micros === null ? "" : formatUsd(micros).replace(/\.?0+$/, ""));

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser();
  const params = await searchParams;
  const [settings, t] = await Promise.all([
    getDb().user.findUniqueOrThrow({
      where: { id: user.id },
      select: { lowBalanceThreshold: true, autoRechargeEnabled: true, autoRechargeThreshold: true, autoRechargeAmount: true, autoRechargePaymentMethodId: true, autoRechargeError: true },
    }),
    getTranslations("billing"),
  ]);
  const stripe = stripeConfigured();
  const limits = topupLimits();
  const code = (chunks: ReactNode) => <code>{chunks}</code>;
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Link href="/billing/history" className="text-sm font-semibold text-indigo-600 hover:text-indigo-500">
            {t("historyLink")}
          </Link>
        }
      />
      {params.canceled ? (
        <Alert tone="info" className="mb-6">
          {t("canceled")}
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>{t("balance.title")}</CardTitle>
          <p className="mt-2 text-4xl font-semibold tabular-nums" data-testid="billing-balance">
            {displayUsd(user.balance)}
          </p>
          <CardDescription>{t("balance.description")}</CardDescription>
        </Card>
        <Card>
          <CardTitle>{t("topUp.title")}</CardTitle>
          <div className="mt-4">
            {stripe ? (
              <TopUpForm minUsd={plain(limits.min)} maxUsd={plain(limits.max)} />
            ) : (
              <Alert tone="info">
                {t.rich("topUp.notConfigured", { code, secret: "STRIPE_SECRET_KEY", webhook: "STRIPE_WEBHOOK_SECRET" })}
              </Alert>
            )}
          </div>
        </Card>
        <Card>
          <CardTitle>{t("redeem.title")}</CardTitle>
          <div className="mt-4">
            <RedeemForm />
          </div>
        </Card>
        <Card>
          <CardTitle>{t("settings.title")}</CardTitle>
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
