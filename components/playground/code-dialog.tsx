"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { buildSnippets, type SnippetTurn, type Snippets } from "@/lib/playground/snippets";
import type { PlaygroundSettings } from "@/lib/playground/types";
import { cn } from "@/lib/utils/cn";
import { Markdown } from "./markdown";

/** Tab labels are product names, the same in every language. */
const TABS: Array<{ id: keyof Snippets; label: string; language: string }> = [
  { id: "curl", label: "curl", language: "bash" },
  { id: "python", label: "Python", language: "python" },
  { id: "node", label: "Node.js", language: "javascript" },
];

/** A fenced block that cannot be closed early by backticks inside the code. */
function fenced(code: string, language: string): string {
  const longest = Math.max(0, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

/**
 * "View code": the equivalent request for the current settings and conversation, ready to paste.
 * A wide <dialog> (focus trap, Escape and inert background come from the browser).
 */
export function CodeDialog({
  open,
  onClose,
  baseUrl,
  settings,
  turns,
}: {
  open: boolean;
  onClose: () => void;
  baseUrl: string;
  settings: PlaygroundSettings;
  turns: SnippetTurn[];
}) {
  const t = useTranslations("playground.codeDialog");
  const tc = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const tabsId = useId();
  const [tab, setTab] = useState<keyof Snippets>("curl");
  const snippets = useMemo(() => (open ? buildSnippets(baseUrl, settings, turns) : null), [open, baseUrl, settings, turns]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + (event.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length]!;
    setTab(next.id);
    document.getElementById(`${tabsId}-${next.id}`)?.focus();
  }

  const active = TABS.find((t) => t.id === tab)!;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-1.5rem)] overflow-y-auto max-w-3xl rounded-xl bg-white p-4 shadow-xl backdrop:bg-zinc-900/40 sm:p-6"
    >
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 id={titleId} className="text-lg font-semibold">
            {t("title")}
          </h2>
          <p className="mt-1 text-sm text-zinc-600">
            {t.rich("description", {
              api: settings.api === "responses" ? t("apiResponses") : settings.api === "messages" ? t("apiMessages") : t("apiChat"),
              code: (chunks) => <code className="rounded bg-zinc-100 px-1 font-mono text-xs">{chunks}</code>,
            })}
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label={tc("close")}>
          ✕
        </Button>
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
        <div role="tablist" aria-label={t("languages")} className="inline-flex rounded-lg bg-zinc-100 p-1">
          {TABS.map((t) => (
            <button
              key={t.id}
              id={`${tabsId}-${t.id}`}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              aria-controls={`${tabsId}-panel`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={onTabKey}
              className={cn(
                "rounded-md px-3 py-1.5 text-sm font-medium",
                tab === t.id ? "bg-white text-zinc-900 shadow-xs" : "text-zinc-600 hover:text-zinc-900",
              )}
            >
              {t.label}
            </button>
          ))}
        </div>
        {snippets ? <CopyButton value={snippets[tab]} label={t("copy", { language: active.label })} /> : null}
      </div>
      <div id={`${tabsId}-panel`} role="tabpanel" aria-labelledby={`${tabsId}-${tab}`} className="mt-3" data-testid="code-snippet">
        {snippets ? <Markdown text={fenced(snippets[tab], active.language)} /> : null}
      </div>
    </dialog>
  );
}
