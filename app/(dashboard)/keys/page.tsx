import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { KeysManager } from "@/components/keys/keys-manager";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listKeyRows } from "@/lib/keys/key-rows";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("keys");
  return { title: t("title") };
}

export default async function KeysPage() {
  const user = await requirePageUser();
  const [keys, t] = await Promise.all([listKeyRows(getDb(), user.id), getTranslations("keys")]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description", { header: "Authorization: Bearer <key>" })} />
      <KeysManager initialKeys={keys} />
    </>
  );
}
