import Link from "next/link";
import { Alert } from "@/components/ui/alert";

/** How an email flow ended (done, or a link that no longer works), and where to go next. */
export function FlowOutcome({ tone, message, href, label }: { tone: "success" | "error"; message: string; href: string; label: string }) {
  return (
    <div className="space-y-4">
      <Alert tone={tone}>{message}</Alert>
      <Link href={href} className="block text-center text-sm font-medium text-indigo-600 hover:text-indigo-500">
        {label}
      </Link>
    </div>
  );
}
