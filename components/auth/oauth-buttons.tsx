"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export function OAuthButtons({ providers, callbackUrl }: { providers: { id: string; name: string }[]; callbackUrl: string }) {
  const t = useTranslations("auth");
  if (!providers.length) return null;
  return (
    <div className="mt-6">
      <div className="relative text-center text-xs text-zinc-500">
        <span className="bg-white px-2">{t("oauth.divider")}</span>
      </div>
      <div className="mt-3 grid gap-2">
        {providers.map((p) => (
          <Button key={p.id} variant="secondary" onClick={() => signIn(p.id, { redirectTo: callbackUrl })}>
            {p.name}
          </Button>
        ))}
      </div>
    </div>
  );
}
