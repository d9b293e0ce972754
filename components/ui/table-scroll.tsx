import type { ReactNode } from "react";
import { cn } from "@/lib/utils/cn";
import { ScrollArea } from "./scroll-area";

/**
 * The card every wide table sits in. When the table cannot fit, it scrolls inside the card (never
 * past it) and its first column stays put, so a row is still recognisable while scrolled. Sticky
 * cells need an opaque background: the header row is zinc-50, body rows white.
 */
const STICKY_FIRST_COLUMN = [
  "[&_thead]:bg-zinc-50 [&_tbody]:bg-white [&_tr]:bg-inherit",
  "[&_tr>:first-child]:sticky [&_tr>:first-child]:left-0 [&_tr>:first-child]:z-10 [&_tr>:first-child]:bg-inherit",
  "[&_tr>:first-child]:shadow-[inset_-1px_0_0_var(--color-zinc-200)]",
].join(" ");

type Props = { className?: string; children: ReactNode } & ({ label: string } | { labelledBy: string });

export function TableScroll({ className, children, ...name }: Props) {
  return (
    <ScrollArea {...name} className={cn("rounded-xl bg-white ring-1 ring-zinc-200", STICKY_FIRST_COLUMN, className)}>
      {children}
    </ScrollArea>
  );
}

