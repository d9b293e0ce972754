import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";

export const metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return (
    <>
      <PageHeader title="Playground" description="Try any model you can use, streamed, with its cost per turn." />
      <EmptyState title="The playground is on its way">Until then, call the API with one of your keys — see the docs.</EmptyState>
    </>
  );
}
