"use client";

import { useState } from "react";
import { useErrorText } from "./portal-fetch";

export interface ActionState {
  pending: boolean;
  done: boolean;
  error: string | null;
}

const IDLE: ActionState = { pending: false, done: false, error: null };

/**
 * A portal call behind a button or a form: pending while it runs, then done, or a readable error
 * in the visitor's language. `fail` shows a check the form made itself.
 */
export function usePortalAction() {
  const errorText = useErrorText();
  const [state, setState] = useState<ActionState>(IDLE);
  async function run(call: () => Promise<unknown>): Promise<void> {
    setState({ ...IDLE, pending: true });
    try {
      await call();
      setState({ ...IDLE, done: true });
    } catch (error) {
      setState({ ...IDLE, error: errorText(error) });
    }
  }
  const fail = (error: string) => setState({ ...IDLE, error });
  return { state, run, fail };
}
