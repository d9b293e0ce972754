import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { displayUsd } from "@/lib/money";

/** Shown on every dashboard page while the balance is under the user's own warning threshold. */
export function LowBalanceBanner({ balance, threshold }: { balance: bigint; threshold: bigint | null }) {
  if (threshold === null || balance >= threshold) return null;
  return (
    <Alert tone="warning" className="mb-6">
      Your balance is {displayUsd(balance)}, below your {displayUsd(threshold)} warning level.{" "}
      {balance <= 0n ? "Calls to paid models are refused until you add funds. " : ""}
      <Link href="/billing" className="font-semibold underline">
        Add funds
      </Link>
    </Alert>
  );
}
