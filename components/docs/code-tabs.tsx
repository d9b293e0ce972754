"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { cn } from "@/lib/utils/cn";
import { CopyCodeButton } from "./copy-code-button";

export interface CodeTab {
  id: string;
  label: string;
  code: string;
}

/**
 * Code examples in tabs (WAI-ARIA tabs pattern): a tablist whose tabs move with ←/→/Home/End
 * (roving tabindex, automatic activation), each panel a copyable code block.
 */
export function CodeTabs({ tabs, label, testId }: { tabs: CodeTab[]; label: string; testId?: string }) {
  const [active, setActive] = useState(0);
  const base = useId();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const current = Math.min(active, tabs.length - 1);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const last = tabs.length - 1;
    const next =
      event.key === "ArrowRight" ? (current === last ? 0 : current + 1)
      : event.key === "ArrowLeft" ? (current === 0 ? last : current - 1)
      : event.key === "Home" ? 0
      : event.key === "End" ? last
      : null;
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    refs.current[next]?.focus();
  }

  const tab = tabs[current];
  return (
    <div data-testid={testId} className="overflow-hidden rounded-xl bg-zinc-950 text-sm shadow-lg ring-1 ring-zinc-800">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-800 pr-2">
        <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex min-w-0 overflow-x-auto">
          {tabs.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                refs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-selected={i === current}
              aria-controls={`${base}-panel-${t.id}`}
              tabIndex={i === current ? 0 : -1}
              onClick={() => setActive(i)}
              className={cn(
                "shrink-0 border-b-2 px-3 py-2 text-xs font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-400",
                i === current ? "border-indigo-400 text-white" : "border-transparent text-zinc-400 hover:text-zinc-200",
              )}
            >
              {t.label}
            </button>
          ))}
        </div>
        {tab ? <CopyCodeButton value={tab.code} className="shrink-0" /> : null}
      </div>
      {tab ? (
        <div role="tabpanel" id={`${base}-panel-${tab.id}`} aria-labelledby={`${base}-tab-${tab.id}`} tabIndex={0} className="focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-400">
          <pre tabIndex={0} className="overflow-x-auto p-4 leading-relaxed text-zinc-100">
            <code>{tab.code}</code>
          </pre>
        </div>
      ) : null}
    </div>
  );
}
