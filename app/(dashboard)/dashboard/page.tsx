import Link from "next/link";
import { PageHeader } from "@/components/portal/page-header";
import { OnboardingSteps } from "@/components/portal/onboarding-steps";
import { CodeBlock } from "@/components/portal/code-block";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { displayUsd } from "@/lib/money";
import { curlQuickstart } from "@/lib/docs/snippets";
import { publicOrigin } from "@/lib/http/base-url";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requirePageUser();
  const [activeKeys, origin] = await Promise.all([
    getDb().apiKey.count({ where: { userId: user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } }),
    publicOrigin(),
  ]);
  return (
    <>
      <PageHeader title={`Welcome${user.name ? `, ${user.name}` : ""}`} description="Your balance, your keys and how to make your first call." />
      <div className="grid gap-4 sm:grid-cols-2">
        <Card>
          <CardTitle>Balance</CardTitle>
          <p className="mt-2 text-3xl font-semibold tabular-nums" data-testid="balance">
            {displayUsd(user.balance)}
          </p>
          <CardDescription>Prepaid; every request is billed to the micro-dollar.</CardDescription>
        </Card>
        <Card>
          <CardTitle>API keys</CardTitle>
          <p className="mt-2 text-3xl font-semibold tabular-nums">{activeKeys}</p>
          <CardDescription>
            active ·{" "}
            <Link href="/keys" className="font-medium text-indigo-600 hover:text-indigo-500">
              manage keys
            </Link>
          </CardDescription>
        </Card>
      </div>
      <section aria-labelledby="get-started" className="mt-10">
        <h2 id="get-started" className="mb-4 text-lg font-semibold">
          Get started
        </h2>
        <OnboardingSteps />
        <div className="mt-6">
          <CodeBlock label="Your base URL" code={curlQuickstart(origin)} />
        </div>
        {activeKeys === 0 ? (
          <Link href="/keys" className={buttonClasses("primary", "md", "mt-6")}>
            Create your first API key
          </Link>
        ) : null}
      </section>
    </>
  );
}
