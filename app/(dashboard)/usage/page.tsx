import { PageHeader } from "@/components/portal/page-header";
import { EmptyState } from "@/components/portal/empty-state";

export const metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="Requests, tokens and spend per day, model and key." />
      <EmptyState title="No requests yet">Calls you make to the /v1 API will appear here with their tokens, cost and latency.</EmptyState>
    </>
  );
}
