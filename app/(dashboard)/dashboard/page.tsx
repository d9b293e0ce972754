import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { NextStepCard } from "@/components/portal/next-step-card";
import { CodeBlock } from "@/components/portal/code-block";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";
import { DayChart } from "@/components/usage/day-chart";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { displayUsd } from "@/lib/money";
import { curlQuickstart } from "@/lib/docs/snippets";
import { publicOrigin } from "@/lib/http/base-url";
import { usageByDay, usageTotals } from "@/lib/usage/queries";
import { nextStep } from "@/lib/onboarding/next-step";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("dashboard");
  return { title: t("metaTitle") };
}

const DAY = 86_400_000;

export default async function OverviewPage() {
  const user = await requirePageUser();
  const db = getDb();
  const now = new Date();
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const tomorrow = new Date(today.getTime() + DAY);
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const [activeKeys, anyCall, origin, todayTotals, monthTotals, week, t, format] = await Promise.all([
    db.apiKey.count({ where: { userId: user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }),
    db.requestLog.findFirst({ where: { userId: user.id }, select: { id: true } }),
    publicOrigin(),
    usageTotals(db, { userId: user.id, from: today, to: tomorrow }),
    usageTotals(db, { userId: user.id, from: month, to: tomorrow }),
    usageByDay(db, { userId: user.id, from: new Date(tomorrow.getTime() - 7 * DAY), to: tomorrow }),
    getTranslations("dashboard"),
    getFormatter(),
  ]);
  const step = nextStep({ activeKeys, hasCalled: anyCall !== null, balance: user.balance });
  const errorRate = todayTotals.requests
    ? format.number(todayTotals.errors / todayTotals.requests, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 })
    : "—";
  // Days are UTC days, like everywhere on the portal.
  const stats: Array<{ id: string; label: string; value: string; hint: string }> = [
    { id: "spend", label: t("stats.spendToday"), value: displayUsd(todayTotals.cost), hint: t("stats.thisMonth", { value: displayUsd(monthTotals.cost) }) },
    {
      id: "requests",
      label: t("stats.requestsToday"),
      value: format.number(todayTotals.requests),
      hint: t("stats.requestsThisMonth", { count: monthTotals.requests }),
    },
    { id: "errors", label: t("stats.errorRateToday"), value: errorRate, hint: t("stats.failed", { count: todayTotals.errors }) },
  ];
  return (
    <>
      <PageHeader title={user.name ? t("welcomeName", { name: user.name }) : t("welcome")} description={t("description")} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Card>
          <CardTitle className="text-sm font-medium text-zinc-600">{t("balance")}</CardTitle>
          <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid="balance">
            {displayUsd(user.balance)}
          </p>
          <CardDescription>
            <Link href="/billing" className="font-medium text-indigo-600 hover:text-indigo-500">
              {t("addFunds")}
            </Link>
          </CardDescription>
        </Card>
        {stats.map(({ id, label, value, hint }) => (
          <Card key={id}>
            <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
            <p className="mt-1 text-3xl font-semibold tabular-nums">{value}</p>
            <CardDescription>{hint}</CardDescription>
          </Card>
        ))}
      </div>
      <p className="mt-2 text-xs text-zinc-500">{t("utcNote")}</p>
      {monthTotals.requests > 0 ? (
        <Card className="mt-6">
          <div className="mb-2 flex items-center justify-between">
            <CardTitle>{t("last7Days")}</CardTitle>
            <Link href="/usage" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">
              {t("usageDetails")}
            </Link>
          </div>
          <DayChart days={week} />
        </Card>
      ) : null}
      <section aria-labelledby="get-started" className="mt-10">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <h2 id="get-started" className="text-lg font-semibold">
            {t("getStarted.title")}
          </h2>
          <div className="flex flex-wrap gap-2">
            <Link href="/keys" className={buttonClasses(activeKeys ? "secondary" : "primary")}>
              {activeKeys ? t("getStarted.keys", { count: activeKeys }) : t("getStarted.firstKey")}
            </Link>
            <Link href="/playground" className={buttonClasses("secondary")}>
              {t("getStarted.playground")}
            </Link>
            <Link href="/models" className={buttonClasses("secondary")}>
              {t("getStarted.models")}
            </Link>
          </div>
        </div>
        {step ? <NextStepCard step={step} /> : null}
        <div className="mt-6">
          <CodeBlock label={t("getStarted.baseUrl")} code={curlQuickstart(origin)} />
        </div>
      </section>
    </>
  );
}
