import { CopyCodeButton } from "@/components/docs/copy-code-button";

/** A dark, copyable code block (landing page, dashboard, docs). */
export function CodeBlock({ code, label, testId }: { code: string; label?: string; testId?: string }) {
  return (
    <figure data-testid={testId} className="overflow-hidden rounded-xl bg-zinc-950 text-sm shadow-lg ring-1 ring-zinc-800">
      <figcaption className="flex items-center justify-between gap-2 border-b border-zinc-800 px-4 py-2 text-xs font-medium text-zinc-400">
        <span className="truncate">{label}</span>
        <CopyCodeButton value={code} />
      </figcaption>
      <pre tabIndex={0} className="overflow-x-auto p-4 leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
