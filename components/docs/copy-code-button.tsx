"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { cn } from "@/lib/utils/cn";

type CopyState = "idle" | "copied" | "failed";

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard access can be denied (plain http, permissions): fall back to a hidden selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** "Copy code" on dark code blocks; says "Copied" (politely, to screen readers too) for 2 s. */
export function CopyCodeButton({ value, className }: { value: string; className?: string }) {
  const t = useTranslations("docs.code");
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  async function copy() {
    setState((await writeClipboard(value)) ? "copied" : "failed");
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  }

  return (
    <button
      type="button"
      onClick={copy}
      data-testid="copy-code"
      title={state === "failed" ? t("copyFailed") : undefined}
      className={cn(
        "rounded-md px-2 py-1 text-xs font-medium text-zinc-300 ring-1 ring-zinc-700 hover:bg-zinc-800 hover:text-white focus-visible:outline-2 focus-visible:outline-indigo-400",
        className,
      )}
    >
      <span aria-live="polite">{state === "copied" ? t("copied") : state === "failed" ? t("copyFailed") : t("copy")}</span>
    </button>
  );
}
