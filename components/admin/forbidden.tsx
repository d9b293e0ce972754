import { EmptyState } from "@/components/portal/empty-state";

/** What non-admins see on every admin page. */
export function AdminForbidden() {
  return <EmptyState title="403 — administrators only">You do not have access to the admin console.</EmptyState>;
}
