"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

export function SignOutEverywhere() {
  const t = useTranslations("account.sessions");
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signOutEverywhere() {
    setPending(true);
    setError(null);
    try {
      await portalFetch("/api/account/sessions", { method: "DELETE" });
      // This session ended too; a full load lands on the sign-in page with no stale client state.
      window.location.assign("/sign-in");
    } catch (failure) {
      setError(errorText(failure));
      setPending(false);
    }
  }

  return (
    <div className="mt-3 space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button type="button" variant="danger" size="sm" onClick={signOutEverywhere} disabled={pending}>
        {t("signOutEverywhere")}
      </Button>
    </div>
  );
}
