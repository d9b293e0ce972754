import type { ReactNode } from "react";

/** The body of the 404 and error pages: a big code or mark, what happened, and ways on. */
export function StatusMessage({ code, title, body, children }: { code: string; title: string; body: string; children: ReactNode }) {
  return (
    <section className="mx-auto max-w-xl py-16 text-center" data-testid="status-message">
      <p className="text-5xl font-bold tracking-tight text-indigo-600">{code}</p>
      <h1 className="mt-4 text-2xl font-semibold tracking-tight text-zinc-900">{title}</h1>
      <p className="mt-3 text-zinc-600">{body}</p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">{children}</div>
    </section>
  );
}
