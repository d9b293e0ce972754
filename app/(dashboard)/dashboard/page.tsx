import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { OnboardingSteps } from "@/components/portal/onboarding-steps";
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

export const metadata = { title: "Overview" };

const DAY = 86_400_000;

export default async function OverviewPage() {
  const user = await requirePageUser();
  const db = getDb();
  const now = new Date();
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const tomorrow = new Date(today.getTime() + DAY);
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const [activeKeys, origin, todayTotals, monthTotals, week] = await Promise.all([
    db.apiKey.count({ where: { userId: user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }),
    publicOrigin(),
    usageTotals(db, { userId: user.id, from: today, to: tomorrow }),
    usageTotals(db, { userId: user.id, from: month, to: tomorrow }),
    usageByDay(db, { userId: user.id, from: new Date(tomorrow.getTime() - 7 * DAY), to: tomorrow }),
  ]);
  const errorRate = todayTotals.requests ? `${((todayTotals.errors / todayTotals.requests) * 100).toFixed(1)}%` : "—";
  const stats: Array<[string, string, string]> = [
    ["Spend today", displayUsd(todayTotals.cost), `${displayUsd(monthTotals.cost)} this month`],
    ["Requests today", todayTotals.requests.toLocaleString(), `${monthTotals.requests.toLocaleString()} this month`],
    ["Error rate today", errorRate, `${todayTotals.errors} failed`],
  ];
  return (
    <>
      <PageHeader title={`Welcome${user.name ? `, ${user.name}` : ""}`} description="Your balance, your spend and how to make your first call." />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Card>
          <CardTitle className="text-sm font-medium text-zinc-600">Balance</CardTitle>
          <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid="balance">
            {displayUsd(user.balance)}
          </p>
          <CardDescription>
            <Link href="/billing" className="font-medium text-indigo-600 hover:text-indigo-500">
              Add funds
            </Link>
          </CardDescription>
        </Card>
        {stats.map(([label, value, hint]) => (
          <Card key={label}>
            <CardTitle className="text-sm font-medium text-zinc-600">{label}</CardTitle>
            <p className="mt-1 text-3xl font-semibold tabular-nums">{value}</p>
            <CardDescription>{hint}</CardDescription>
          </Card>
        ))}
      </div>
      {monthTotals.requests > 0 ? (
        <Card className="mt-6">
          <div className="mb-2 flex items-center justify-between">
            <CardTitle>Last 7 days</CardTitle>
            <Link href="/usage" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">
              Usage details →
            </Link>
          </div>
          <DayChart days={week} />
        </Card>
      ) : null}
      <section aria-labelledby="get-started" className="mt-10">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <h2 id="get-started" className="text-lg font-semibold">
            Get started
          </h2>
          <div className="flex gap-2">
            <Link href="/keys" className={buttonClasses(activeKeys ? "secondary" : "primary")}>
              {activeKeys ? `API keys (${activeKeys} active)` : "Create your first API key"}
            </Link>
            <Link href="/playground" className={buttonClasses("secondary")}>
              Playground
            </Link>
            <Link href="/models" className={buttonClasses("secondary")}>
              Models & pricing
            </Link>
          </div>
        </div>
        <OnboardingSteps />
        <div className="mt-6">
          <CodeBlock label="Your base URL" code={curlQuickstart(origin)} />
        </div>
      </section>
    </>
  );
}
