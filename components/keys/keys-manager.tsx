"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { EmptyState } from "@/components/portal/empty-state";
import { portalFetch } from "@/lib/client/portal-fetch";
import { CreateKeyForm } from "./create-key-form";
import { KeysTable } from "./keys-table";
import { NewKeyDialog } from "./new-key-dialog";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import type { KeyRow } from "@/lib/keys/key-rows";

export function KeysManager({ initialKeys }: { initialKeys: KeyRow[] }) {
  const t = useTranslations("keys");
  const [keys, setKeys] = useState(initialKeys);
  const [newKey, setNewKey] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);

  async function reload() {
    const { data } = await portalFetch<{ data: KeyRow[] }>("/api/keys");
    setKeys(data);
  }

  async function revoke(key: KeyRow) {
    await portalFetch(`/api/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
    setRevoking(null);
    await reload();
  }

  return (
    <div className="space-y-6">
      <section aria-labelledby="create-key" className="rounded-xl bg-white p-5 ring-1 ring-zinc-200">
        <h2 id="create-key" className="mb-4 font-semibold">
          {t("create.heading")}
        </h2>
        <CreateKeyForm
          onCreated={async (key) => {
            setNewKey(key);
            await reload();
          }}
        />
      </section>
      {keys.length ? (
        <KeysTable keys={keys} onRevoke={setRevoking} />
      ) : (
        <EmptyState title={t("empty.title")}>{t("empty.body")}</EmptyState>
      )}
      <NewKeyDialog apiKey={newKey} onClose={() => setNewKey(null)} />
      <RevokeKeyDialog target={revoking} onCancel={() => setRevoking(null)} onConfirm={revoke} />
    </div>
  );
}
