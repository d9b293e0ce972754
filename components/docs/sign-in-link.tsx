"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { signInHref } from "@/lib/docs/sign-in";

/** A link to sign in that brings the visitor back to the docs page they are reading. */
export function SignInLink({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? "/docs";
  return (
    <Link href={signInHref(pathname)} className="font-medium text-indigo-600 hover:text-indigo-500" data-testid="docs-sign-in">
      {children}
    </Link>
  );
}
