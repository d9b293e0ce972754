import { PageHeader } from "@/components/portal/page-header";
import { Playground } from "@/components/playground/playground";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { publicOrigin } from "@/lib/http/base-url";
import { defaultModel, playgroundModels } from "@/lib/playground/models";

export const metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

export default async function PlaygroundPage() {
  await requirePageUser();
  const [models, origin] = await Promise.all([playgroundModels(getDb()), publicOrigin()]);
  return (
    <>
      <PageHeader
        title="Playground"
        description="Chat with any model you can use — streamed, through the real API, with tokens and cost per turn."
      />
      <Playground models={models} initialModel={defaultModel(models)} baseUrl={`${origin}/v1`} />
    </>
  );
}
