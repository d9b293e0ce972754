import type { ReactNode } from "react";
import { Logo } from "@/components/portal/logo";
import { LocaleSwitcher } from "@/components/portal/locale-switcher";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-6">
      <div className="flex w-full max-w-sm justify-end sm:fixed sm:top-4 sm:right-4 sm:w-auto">
        <LocaleSwitcher />
      </div>
      <div className="flex w-full flex-1 flex-col items-center justify-center py-6">
        <Logo />
        <main className="mt-8 w-full max-w-sm rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">{children}</main>
      </div>
    </div>
  );
}
