/** The steps a signed-in user still has ahead, in order; registering is behind them already. */
export const NEXT_STEPS = ["key", "call", "funds"] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export interface OnboardingState {
  /** Keys that are neither revoked nor expired. */
  activeKeys: number;
  /** Whether any /v1 request was ever logged for the user (free ones included). */
  hasCalled: boolean;
  /** Micro-dollars. */
  balance: bigint;
}

/** The first step not yet done, or null once the user has a key, has made a call and has funds. */
export function nextStep(state: OnboardingState): NextStep | null {
  if (state.activeKeys === 0) return "key";
  if (!state.hasCalled) return "call";
  if (state.balance <= 0n) return "funds";
  return null;
}
