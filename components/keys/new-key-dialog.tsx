"use client";

import { useTranslations } from "next-intl";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/alert";

/** The only place a key is ever shown in full. */
export function NewKeyDialog({ apiKey, onClose }: { apiKey: string | null; onClose: () => void }) {
  const t = useTranslations("keys.newKey");
  return (
    <Dialog open={apiKey !== null} onClose={onClose} title={t("title")}>
      <Alert tone="warning">{t("warning")}</Alert>
      <div className="mt-4 flex items-center gap-2">
        <code tabIndex={0} data-testid="new-api-key" className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm whitespace-nowrap">
          {apiKey}
        </code>
        {apiKey ? <CopyButton value={apiKey} /> : null}
      </div>
      <div className="mt-6 flex justify-end">
        <Button onClick={onClose}>{t("done")}</Button>
      </div>
    </Dialog>
  );
}
