"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useId, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { DOCS_ENDPOINTS, displayPath, type DocsEndpoint } from "@/lib/docs/reference";
import { cn } from "@/lib/utils/cn";
import { PathText } from "./break-points";
import { endpointKey } from "./endpoint-key";

const GROUPS = ["chat", "embeddings", "responses", "messages", "models", "billing"] as const;

const METHOD_COLORS: Record<DocsEndpoint["method"], string> = {
  GET: "bg-emerald-50 text-emerald-700",
  POST: "bg-indigo-50 text-indigo-700",
  DELETE: "bg-red-50 text-red-700",
};

export function MethodBadge({ method }: { method: DocsEndpoint["method"] }) {
  return <span className={cn("shrink-0 rounded px-1.5 py-0.5 font-mono text-[10px] font-semibold", METHOD_COLORS[method])}>{method}</span>;
}

/**
 * The docs' side nav: a list beside the page on wide screens; on a phone, a select that jumps to
 * the page (the list would push the content below the fold).
 */
export function DocsNav() {
  const t = useTranslations("docs");
  const pathname = usePathname();
  const router = useRouter();
  const selectId = useId();
  const pages = [{ href: "/docs", label: t("nav.quickstart") }, ...DOCS_ENDPOINTS.map((e) => ({ href: `/docs/${e.slug}`, label: t(`endpoints.${endpointKey(e.slug)}.name`) }))];
  const current = pages.find((p) => p.href === pathname)?.href ?? "/docs";

  const link = (href: string, children: ReactNode) => {
    const active = pathname === href;
    return (
      <Link
        href={href}
        aria-current={active ? "page" : undefined}
        className={cn("flex min-w-0 items-baseline gap-2 rounded-md px-2 py-1.5 text-sm", active ? "bg-indigo-50 font-medium text-indigo-700" : "text-zinc-700 hover:bg-zinc-100")}
      >
        {children}
      </Link>
    );
  };

  return (
    <>
      <div className="lg:hidden">
        <label htmlFor={selectId} className="block text-xs font-medium text-zinc-600">
          {t("nav.jump")}
        </label>
        <select
          id={selectId}
          value={current}
          onChange={(e) => router.push(e.target.value)}
          className="mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-xs ring-1 ring-inset ring-zinc-300"
          data-testid="docs-nav-select"
        >
          {pages.map((p) => (
            <option key={p.href} value={p.href}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <nav aria-label={t("nav.label")} className="hidden lg:block">
        <ul className="grid gap-0.5">
          <li>{link("/docs", t("nav.quickstart"))}</li>
        </ul>
        <p className="mt-5 px-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{t("nav.reference")}</p>
        {GROUPS.map((group) => (
          <div key={group} className="mt-3">
            <p className="px-2 text-xs font-medium text-zinc-500">{t(`groups.${group}`)}</p>
            <ul className="mt-1 grid gap-0.5">
              {DOCS_ENDPOINTS.filter((e) => e.group === group).map((e) => (
                <li key={e.slug}>
                  {link(
                    `/docs/${e.slug}`,
                    <>
                      <MethodBadge method={e.method} />
                      {/* The whole path, wrapping between its segments: the column is too narrow for the longest. */}
                      <span className="min-w-0">
                        <span className="block">{t(`endpoints.${endpointKey(e.slug)}.name`)}</span>
                        <code className="block font-mono text-[11px] font-normal text-zinc-600" data-testid="docs-nav-path">
                          <PathText path={displayPath(e)} />
                        </code>
                      </span>
                    </>,
                  )}
                </li>
              ))}
            </ul>
          </div>
        ))}
        <a href="/openapi.json" className="mt-5 block px-2 text-xs font-medium text-indigo-600 hover:text-indigo-500">
          {t("nav.openapi")}
        </a>
      </nav>
    </>
  );
}
