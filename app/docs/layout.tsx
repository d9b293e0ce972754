import type { ReactNode } from "react";
import { DocsKeysProvider } from "@/components/docs/docs-keys";
import { DocsNav } from "@/components/docs/docs-nav";
import { PortalShell } from "@/components/portal/portal-shell";
import { getCurrentUser } from "@/lib/auth/session";
import { listDocsKeys } from "@/lib/docs/keys";
import { getDb } from "@/lib/db/client";
import { publicOrigin } from "@/lib/http/base-url";

/**
 * The docs around every page, public like any API reference: the portal's chrome (the signed-in
 * user's nav, or the visitor's header), the side nav, and the key the examples name (kept while the
 * user moves between pages: the layout is not re-mounted by client navigations).
 */
export default async function DocsLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  const [origin, keys] = await Promise.all([publicOrigin(), user ? listDocsKeys(getDb(), user.id) : []]);
  return (
    <PortalShell user={user}>
      <DocsKeysProvider origin={origin} keys={keys} signedIn={user !== null}>
        <div className="grid gap-6 lg:grid-cols-[13rem_minmax(0,1fr)] lg:gap-8">
          <aside className="lg:sticky lg:top-6 lg:max-h-[calc(100vh-3rem)] lg:self-start lg:overflow-y-auto">
            <DocsNav />
          </aside>
          <div className="min-w-0">{children}</div>
        </div>
      </DocsKeysProvider>
    </PortalShell>
  );
}
