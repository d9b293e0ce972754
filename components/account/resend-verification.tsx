"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

export function ResendVerification() {
  const t = useTranslations("account.email");
  const errorText = useErrorText();
  const [state, setState] = useState<{ sent?: boolean; error?: string; pending?: boolean }>({});

  async function resend() {
    setState({ pending: true });
    try {
      await portalFetch("/api/account/verify-email", { method: "POST" });
      setState({ sent: true });
    } catch (error) {
      setState({ error: errorText(error) });
    }
  }

  return (
    <div className="mt-3 space-y-3">
      {state.sent ? <Alert tone="success">{t("sent")}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Button type="button" variant="secondary" size="sm" onClick={resend} disabled={state.pending}>
        {t("resend")}
      </Button>
    </div>
  );
}
