import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/portal/page-header";
import { Playground } from "@/components/playground/playground";
import { requirePageUser } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/base-url";
import { defaultModel, playgroundModels } from "@/lib/playground/models";

export async function generateMetadata() {
  const t = await getTranslations("playground.metadata");
  return { title: t("title") };
}

export const dynamic = "force-dynamic";

export default async function PlaygroundPage() {
  await requirePageUser();
  const [models, origin, t] = await Promise.all([playgroundModels(), publicOrigin(), getTranslations("playground.page")]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Playground models={models} initialModel={defaultModel(models)} baseUrl={`${origin}/v1`} />
    </>
  );
}
