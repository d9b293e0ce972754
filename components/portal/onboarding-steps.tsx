/** The four steps from our docs: register, get a key, pick an endpoint, call it. */
export const ONBOARDING_STEPS = [
  { title: "Register", body: "Create an account. The first account on a new install administers it." },
  { title: "Get a key", body: "Create an API key on the keys page. It is shown once; store it like a password." },
  { title: "Pick an endpoint", body: "Chat Completions, Responses, Models — the same paths and shapes as OpenAI's API." },
  { title: "Call it", body: "Point the official openai SDK (or curl, the AI SDK, LangChain) at your base URL." },
] as const;

export function OnboardingSteps() {
  return (
    <ol className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {ONBOARDING_STEPS.map((step, i) => (
        <li key={step.title} className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-200">
          <span className="grid size-8 place-items-center rounded-full bg-indigo-50 text-sm font-semibold text-indigo-700">{i + 1}</span>
          <h3 className="mt-3 font-semibold">{step.title}</h3>
          <p className="mt-1 text-sm text-zinc-600">{step.body}</p>
        </li>
      ))}
    </ol>
  );
}
