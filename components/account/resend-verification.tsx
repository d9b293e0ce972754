"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { usePortalAction } from "@/lib/client/use-portal-action";

export function ResendVerification() {
  const t = useTranslations("account.email");
  const { state, run } = usePortalAction();
  const resend = () => run(() => portalFetch("/api/account/verify-email", { method: "POST" }));

  return (
    <div className="mt-3 space-y-3">
      {state.done ? <Alert tone="success">{t("sent")}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Button type="button" variant="secondary" size="sm" onClick={resend} disabled={state.pending}>
        {t("resend")}
      </Button>
    </div>
  );
}
