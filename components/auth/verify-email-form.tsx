"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { portalFetch } from "@/lib/client/portal-fetch";
import { usePortalAction } from "@/lib/client/use-portal-action";
import { FlowOutcome } from "./flow-outcome";

/** A button, not an automatic request: mail scanners that open links must not use the token. */
export function VerifyEmailForm({ token }: { token: string }) {
  const t = useTranslations("auth.verify");
  const { state, run } = usePortalAction();
  const verify = () => run(() => portalFetch("/api/verify-email", { method: "POST", body: JSON.stringify({ token }) }));

  if (state.done) return <FlowOutcome tone="success" message={t("done")} href="/dashboard" label={t("continue")} />;
  return (
    <div className="space-y-4">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Button type="button" className="w-full" disabled={state.pending} onClick={verify}>
        {state.pending ? t("pending") : t("submit")}
      </Button>
    </div>
  );
}
