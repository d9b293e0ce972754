import type { ReactNode } from "react";
import { cn } from "@/lib/utils/cn";

/**
 * A box that scrolls sideways when its content (a wide table, a long line of code) is wider than a
 * phone's screen. Keyboard users can focus it to scroll; `relative` keeps screen-reader-only text
 * inside it from widening the page.
 */
type Props = { className?: string; children: ReactNode } & ({ label: string } | { labelledBy: string });

export function ScrollArea({ className, children, ...name }: Props) {
  return (
    <div
      role="region"
      aria-label={"label" in name ? name.label : undefined}
      aria-labelledby={"labelledBy" in name ? name.labelledBy : undefined}
      tabIndex={0}
      className={cn("relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500", className)}
    >
      {children}
    </div>
  );
}
