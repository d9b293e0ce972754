import Link from "next/link";
import { useTranslations } from "next-intl";
import { buttonClasses } from "@/components/ui/button";
import { NEXT_STEPS, type NextStep } from "@/lib/onboarding/next-step";

const HREF: Record<NextStep, string> = { key: "/keys", call: "/docs", funds: "/billing" };

/** The one thing to do next on the overview (create a key → make a call → add funds), with its link. */
export function NextStepCard({ step }: { step: NextStep }) {
  const t = useTranslations("dashboard.nextStep");
  return (
    <div className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-indigo-200" data-testid="next-step" data-step={step}>
      <p className="text-xs font-semibold tracking-wide text-indigo-700 uppercase">
        {t("progress", { step: NEXT_STEPS.indexOf(step) + 1, total: NEXT_STEPS.length })}
      </p>
      <h3 className="mt-2 font-semibold">{t(`${step}.title`)}</h3>
      <p className="mt-1 text-sm text-zinc-600">{t(`${step}.body`)}</p>
      <Link href={HREF[step]} className={buttonClasses("primary", "md", "mt-4")}>
        {t(`${step}.action`)}
      </Link>
    </div>
  );
}
