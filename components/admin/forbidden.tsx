import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/portal/empty-state";

/** What non-admins see on every admin page. */
export async function AdminForbidden() {
  const t = await getTranslations("admin.forbidden");
  return <EmptyState title={t("title")}>{t("body")}</EmptyState>;
}
