"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { authPageHref } from "@/lib/auth/callback-url";

/** A link to sign in that brings the visitor back to the docs page they are reading. */
export function SignInLink({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? "/docs";
  return (
    <Link href={authPageHref("/sign-in", pathname)} className="font-medium text-indigo-600 hover:text-indigo-500" data-testid="docs-sign-in">
      {children}
    </Link>
  );
}
