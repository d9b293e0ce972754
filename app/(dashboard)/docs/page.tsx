import { PageHeader } from "@/components/portal/page-header";
import { OnboardingSteps } from "@/components/portal/onboarding-steps";
import { CodeBlock } from "@/components/portal/code-block";
import { curlQuickstart, nodeQuickstart } from "@/lib/docs/snippets";
import { publicOrigin } from "@/lib/http/base-url";

export const metadata = { title: "Docs" };

export default async function DocsPage() {
  const origin = await publicOrigin();
  return (
    <>
      <PageHeader title="Quickstart" description={`Base URL: ${origin}/v1`} />
      <OnboardingSteps />
      <div className="mt-8 grid gap-6">
        <CodeBlock label="curl" code={curlQuickstart(origin)} />
        <CodeBlock label="Node.js (openai)" code={nodeQuickstart(origin)} />
      </div>
    </>
  );
}
