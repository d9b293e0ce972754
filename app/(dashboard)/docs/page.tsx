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
      <p className="mt-8 text-sm text-zinc-600">
        Machine-readable reference:{" "}
        <a href="/openapi.json" className="font-medium text-indigo-600 hover:text-indigo-500">
          OpenAPI 3.1 document
        </a>{" "}
        (generated from the schemas that validate requests).
      </p>
      <div className="mt-4 grid gap-6">
        <CodeBlock label="curl" code={curlQuickstart(origin)} />
        <CodeBlock label="Node.js (openai)" code={nodeQuickstart(origin)} />
      </div>
    </>
  );
}
