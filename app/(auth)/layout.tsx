import type { ReactNode } from "react";
import { Logo } from "@/components/portal/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Logo />
      <main className="mt-8 w-full max-w-sm rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">{children}</main>
    </div>
  );
}
