import { MAX_TOKENS_LIMIT, MIN_RESPONSES_MAX_TOKENS, type PlaygroundApi, type PlaygroundSettings } from "@/lib/playground/types";

/** The settings as the form holds them: numbers as typed, so a half-typed "0." is not lost. */
export interface SettingsForm {
  model: string;
  system: string;
  temperature: string;
  maxTokens: string;
  stream: boolean;
  api: PlaygroundApi;
}

export interface SettingsErrors {
  model?: string;
  temperature?: string;
  maxTokens?: string;
}

/** The settings to send, or the errors to show next to their fields. */
export function readSettings(form: SettingsForm): { settings: PlaygroundSettings; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  if (!form.model) errors.model = "Pick a model";

  let temperature: number | null = null;
  if (form.temperature.trim()) {
    temperature = Number(form.temperature);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) errors.temperature = "Between 0 and 2";
  }

  let maxTokens: number | null = null;
  if (form.maxTokens.trim()) {
    maxTokens = Number(form.maxTokens);
    const floor = form.api === "responses" ? MIN_RESPONSES_MAX_TOKENS : 1;
    if (!Number.isInteger(maxTokens) || maxTokens < floor || maxTokens > MAX_TOKENS_LIMIT) {
      errors.maxTokens = form.api === "responses" ? `A whole number, at least ${floor} for the Responses API` : "A whole number, at least 1";
    }
  }

  return {
    settings: { model: form.model, system: form.system.trim(), temperature, maxTokens, stream: form.stream, api: form.api },
    errors,
  };
}
