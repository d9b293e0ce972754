"use client";

import { useTranslations } from "next-intl";
import { CodeBlock } from "@/components/portal/code-block";
import { SANDBOX_MODEL } from "@/lib/docs/examples";
import { useDocsKeys } from "./docs-keys";

/** The shell lines that point Claude Code at this server: the origin (no /v1), a RootAPI key, a model. */
export function claudeCodeCommands(origin: string, key: string, model = SANDBOX_MODEL): string {
  return [
    `export ANTHROPIC_BASE_URL=${origin}`,
    `export ANTHROPIC_API_KEY=${key}`,
    `# or: export ANTHROPIC_AUTH_TOKEN=${key}`,
    `claude --model ${model}`,
  ].join("\n");
}

/** "Claude Code": the environment it needs, with the user's origin and chosen key filled in. */
export function ClaudeCodeSetup() {
  const t = useTranslations("docs.claudeCode");
  const { origin, snippetKey } = useDocsKeys();
  return (
    <div className="grid grid-cols-1 gap-3 text-sm text-zinc-600">
      <p>{t("intro")}</p>
      <CodeBlock label={t("shellLabel")} code={claudeCodeCommands(origin, snippetKey)} testId="claude-code" />
      <p>{t("models")}</p>
      <p>{t("authToken")}</p>
    </div>
  );
}
