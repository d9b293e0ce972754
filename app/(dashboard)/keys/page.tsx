import { PageHeader } from "@/components/portal/page-header";
import { KeysManager } from "@/components/keys/keys-manager";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listApiKeys } from "@/lib/keys/keys";
import { toKeyRow } from "@/lib/keys/key-rows";

export const metadata = { title: "API keys" };

export default async function KeysPage() {
  const user = await requirePageUser();
  const keys = await listApiKeys(getDb(), user.id);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate your calls to the /v1 API as Authorization: Bearer <key>. A key is shown once, when you create it."
      />
      <KeysManager initialKeys={keys.map((key) => toKeyRow(key))} />
    </>
  );
}
