import type { ReactNode } from "react";
import { cn } from "@/lib/utils/cn";

const tones = {
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  gray: "bg-zinc-100 text-zinc-600 ring-zinc-500/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
} as const;

export function Badge({ tone = "gray", children }: { tone?: keyof typeof tones; children: ReactNode }) {
  return <span className={cn("inline-flex items-center rounded-md whitespace-nowrap px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tones[tone])}>{children}</span>;
}
