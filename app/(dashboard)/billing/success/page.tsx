import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { PaymentStatus } from "@/components/billing/payment-status";
import { requirePageUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("billing.success");
  return { title: t("metaTitle") };
}

export default async function PaymentSuccessPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageUser();
  const { session_id: sessionId } = await searchParams;
  const t = await getTranslations("billing.success");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card>{sessionId ? <PaymentStatus sessionId={sessionId} /> : <Alert tone="error">{t("missingSession")}</Alert>}</Card>
    </>
  );
}
