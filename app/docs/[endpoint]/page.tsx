import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { MethodBadge } from "@/components/docs/docs-nav";
import { PathText } from "@/components/docs/break-points";
import { EndpointSnippets } from "@/components/docs/endpoint-snippets";
import { endpointKey } from "@/components/docs/endpoint-key";
import { ParamTable } from "@/components/docs/param-table";
import { TryIt } from "@/components/docs/try-it";
import { CodeBlock } from "@/components/portal/code-block";
import { ErrorTable } from "@/components/docs/error-table";
import { ClaudeCodeSetup } from "@/components/docs/claude-code-setup";
import { KeyPicker } from "@/components/docs/key-picker";
import { errorExample } from "@/lib/docs/error-examples";
import { endpointErrors } from "@/lib/docs/errors";
import { EXAMPLES } from "@/lib/docs/examples";
import { displayPath, findEndpoint, operationSummary, parameterRows, type DocsEndpoint } from "@/lib/docs/reference";
import { publicOrigin } from "@/lib/http/base-url";
import { openApiDocument } from "@/lib/openapi/document";

type Props = { params: Promise<{ endpoint: string }> };

type DocsT = Awaited<ReturnType<typeof getTranslations<"docs">>>;

/** The endpoint's one-line summary: translated where the messages have one, else the OpenAPI document's. */
function summaryOf(t: DocsT, document: ReturnType<typeof openApiDocument>, endpoint: DocsEndpoint): string {
  const key = endpointKey(endpoint.slug);
  return t.has(`endpoints.${key}.summary`) ? t(`endpoints.${key}.summary`) : operationSummary(document, endpoint);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const endpoint = findEndpoint((await params).endpoint);
  const [t, origin] = await Promise.all([getTranslations("docs"), publicOrigin()]);
  if (!endpoint) return { title: t("metadata.title") };
  return {
    title: t("metadata.reference", { name: t(`endpoints.${endpointKey(endpoint.slug)}.name`) }),
    description: summaryOf(t, openApiDocument(origin), endpoint),
  };
}

const code = (chunks: ReactNode) => <code className="rounded bg-zinc-100 px-1 font-mono text-[0.9em]">{chunks}</code>;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="mb-3 text-lg font-semibold tracking-tight text-zinc-900">
        <a href={`#${id}`} className="hover:underline">
          {title}
        </a>
      </h2>
      {children}
    </section>
  );
}

/** One /v1 endpoint: method and path, parameters (from the OpenAPI document), code, try it, examples. */
export default async function EndpointPage({ params }: Props) {
  const endpoint = findEndpoint((await params).endpoint);
  if (!endpoint) notFound();
  const [t, origin] = await Promise.all([getTranslations("docs"), publicOrigin()]);
  const document = openApiDocument(origin);
  const rows = parameterRows(document, endpoint);
  const key = endpointKey(endpoint.slug);
  const example = EXAMPLES[endpoint.slug];
  const summary = summaryOf(t, document, endpoint);
  const anthropic = endpoint.protocol === "anthropic";
  const errors = endpointErrors(document, endpoint);
  const shownError = errorExample(endpoint, errors);

  return (
    <article>
      <header className="mb-6">
        <p className="text-xs font-semibold tracking-wide text-indigo-600 uppercase">{t(`groups.${endpoint.group}`)}</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{t(`endpoints.${key}.name`)}</h1>
        <p className="mt-3 flex min-w-0 flex-wrap items-center gap-2 rounded-lg bg-zinc-50 px-3 py-2 ring-1 ring-zinc-200" data-testid="endpoint-url">
          <MethodBadge method={endpoint.method} />
          {/* Lines break before a path's slashes, inside a segment only when one alone is too wide. */}
          <code className="min-w-0 font-mono text-sm wrap-break-word">
            <span className="text-zinc-500">{origin}</span>
            <wbr />
            <PathText path={displayPath(endpoint)} />
          </code>
        </p>
        <p className="mt-3 text-sm text-zinc-600">{summary}</p>
        {anthropic ? <p className="mt-2 text-sm text-zinc-600">{t.rich("reference.anthropicAuth", { code })}</p> : null}
        <p className="mt-2 text-sm text-zinc-600">{t.rich("reference.requestId", { code })}</p>
      </header>

      <Section id="parameters" title={t("reference.parameters")}>
        {rows.length ? <ParamTable endpoint={endpoint} rows={rows} /> : <p className="text-sm text-zinc-600">{t("reference.noParameters")}</p>}
      </Section>

      <Section id="code" title={t("reference.examples")}>
        <div className="mb-4 rounded-xl bg-white p-4 shadow-xs ring-1 ring-zinc-200">
          <KeyPicker />
        </div>
        <EndpointSnippets slug={endpoint.slug} />
      </Section>

      <div className="mt-8">
        <TryIt slug={endpoint.slug} />
      </div>

      {example.body ? (
        <Section id="request" title={t("reference.request")}>
          <CodeBlock label={t("reference.exampleRequest")} code={JSON.stringify(example.body, null, 2)} />
        </Section>
      ) : null}

      <Section id="response" title={t("reference.response")}>
        <CodeBlock label={t("reference.exampleResponse")} code={JSON.stringify(example.response, null, 2)} testId="example-response" />
      </Section>

      {example.stream ? (
        <Section id="streaming" title={t("reference.streaming")}>
          <p className="mb-3 text-sm text-zinc-600">{t.rich("reference.streamingIntro", { code })}</p>
          <CodeBlock label={t("reference.streamLabel")} code={example.stream} testId="example-stream" />
        </Section>
      ) : null}

      <Section id="errors" title={t("reference.errors")}>
        <p className="mb-3 text-sm text-zinc-600">{anthropic ? t.rich("reference.anthropicErrorsIntro", { code }) : t("reference.errorsIntro")}</p>
        <ErrorTable errors={errors} anthropic={anthropic} />
        {shownError ? (
          <div className="mt-3">
            <CodeBlock label={t("reference.errorExample", { status: shownError.status })} code={JSON.stringify(shownError.body, null, 2)} testId="example-error" />
          </div>
        ) : null}
      </Section>

      {endpoint.slug === "messages" ? (
        <Section id="claude-code" title={t("claudeCode.title")}>
          <ClaudeCodeSetup />
        </Section>
      ) : null}
    </article>
  );
}
