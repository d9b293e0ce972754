import type { ReactNode } from "react";

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
      <h2 className="font-semibold text-zinc-900">{title}</h2>
      {children ? <div className="mx-auto mt-2 max-w-md text-sm text-zinc-600">{children}</div> : null}
    </div>
  );
}
