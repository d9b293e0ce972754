import Link from "next/link";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { displayUsd } from "@/lib/money";

/** Shown on every dashboard page while the balance is under the user's own warning threshold. */
export function LowBalanceBanner({ balance, threshold }: { balance: bigint; threshold: bigint | null }) {
  const t = useTranslations("billing.lowBalance");
  if (threshold === null || balance >= threshold) return null;
  return (
    <Alert tone="warning" className="mb-6">
      {t("message", { balance: displayUsd(balance), threshold: displayUsd(threshold) })}{" "}
      {balance <= 0n ? `${t("refused")} ` : ""}
      <Link href="/billing" className="font-semibold underline">
        {t("addFunds")}
      </Link>
    </Alert>
  );
}
