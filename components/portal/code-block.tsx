export function CodeBlock({ code, label }: { code: string; label?: string }) {
  return (
    <figure className="overflow-hidden rounded-xl bg-zinc-950 text-sm shadow-lg ring-1 ring-zinc-800">
      {label ? <figcaption className="border-b border-zinc-800 px-4 py-2 text-xs font-medium text-zinc-400">{label}</figcaption> : null}
      <pre className="overflow-x-auto p-4 leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
