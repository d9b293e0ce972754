"use client";

import { useState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";

/** A button, not an automatic request: mail scanners that open links must not use the token. */
export function VerifyEmailForm({ token }: { token: string }) {
  const t = useTranslations("auth.verify");
  const errorText = useErrorText();
  const [state, setState] = useState<{ done?: boolean; error?: string; pending?: boolean }>({});

  async function verify() {
    setState({ pending: true });
    try {
      await portalFetch("/api/verify-email", { method: "POST", body: JSON.stringify({ token }) });
      setState({ done: true });
    } catch (error) {
      setState({ error: errorText(error) });
    }
  }

  if (state.done) {
    return (
      <div className="space-y-4">
        <Alert tone="success">{t("done")}</Alert>
        <Link href="/dashboard" className="block text-center text-sm font-medium text-indigo-600 hover:text-indigo-500">
          {t("continue")}
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <Button type="button" className="w-full" disabled={state.pending} onClick={verify}>
        {state.pending ? t("pending") : t("submit")}
      </Button>
    </div>
  );
}
