"use client";

import { useId, useState } from "react";
import { useTranslations } from "next-intl";
import { streamingBody } from "@/lib/docs/examples";
import type { EndpointSlug } from "@/lib/docs/reference";
import { referenceSnippets } from "@/lib/docs/snippets";
import { CodeTabs } from "./code-tabs";
import { useDocsKeys } from "./docs-keys";

/** curl / Python / Node / AI SDK for one endpoint, with the user's base URL and chosen key filled in. */
export function EndpointSnippets({ slug }: { slug: EndpointSlug }) {
  const t = useTranslations("docs");
  const { origin, snippetKey } = useDocsKeys();
  const [stream, setStream] = useState(false);
  const toggleId = useId();
  const streamBody = streamingBody(slug);
  const body = stream && streamBody ? streamBody : undefined;
  const tabs = referenceSnippets(slug, origin, snippetKey, body).map((s) => ({ id: s.language, label: t(`code.${s.language}`), code: s.code }));
  return (
    <div className="grid grid-cols-1 gap-2">
      {streamBody && (slug === "chat-completions" || slug === "responses" || slug === "messages") ? (
        <label htmlFor={toggleId} className="inline-flex items-center gap-2 text-sm text-zinc-700">
          <input id={toggleId} type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} className="size-4 rounded border-zinc-300 text-indigo-600" />
          {t("reference.streamToggle")}
        </label>
      ) : null}
      <CodeTabs tabs={tabs} label={t("reference.codeTabs")} testId="code-tabs" />
    </div>
  );
}
