import { useTranslations } from "next-intl";

/** The four steps from our docs: register, get a key, pick an endpoint, call it. */
export const ONBOARDING_STEPS = ["register", "key", "endpoint", "call"] as const;

/** Works in server and client components alike (useTranslations without async). */
export function OnboardingSteps() {
  const t = useTranslations("docs.onboarding");
  return (
    <ol className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {ONBOARDING_STEPS.map((step, i) => (
        <li key={step} className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-200">
          <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-indigo-50 text-sm font-semibold text-indigo-700">
            {i + 1}
          </span>
          <h3 className="mt-3 font-semibold">{t(`${step}.title`)}</h3>
          <p className="mt-1 text-sm text-zinc-600">{t(`${step}.body`)}</p>
        </li>
      ))}
    </ol>
  );
}
