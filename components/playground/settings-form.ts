import { MAX_MESSAGES_TEMPERATURE, MAX_TOKENS_LIMIT, MIN_RESPONSES_MAX_TOKENS, type PlaygroundApi, type PlaygroundSettings } from "@/lib/playground/types";

/** The settings as the form holds them: numbers as typed, so a half-typed "0." is not lost. */
export interface SettingsForm {
  model: string;
  system: string;
  temperature: string;
  maxTokens: string;
  stream: boolean;
  api: PlaygroundApi;
}

/** What is wrong with a field: a key of playground.settings.errors (the form shows it translated). */
export type SettingsErrorKey = "model" | "temperature" | "temperatureMessages" | "maxTokens" | "maxTokensResponses";

export interface SettingsErrors {
  model?: SettingsErrorKey;
  temperature?: SettingsErrorKey;
  maxTokens?: SettingsErrorKey;
}

/** The settings to send, or the errors to show next to their fields. */
export function readSettings(form: SettingsForm): { settings: PlaygroundSettings; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  if (!form.model) errors.model = "model";

  let temperature: number | null = null;
  if (form.temperature.trim()) {
    temperature = Number(form.temperature);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) errors.temperature = "temperature";
    else if (form.api === "messages" && temperature > MAX_MESSAGES_TEMPERATURE) errors.temperature = "temperatureMessages";
  }

  let maxTokens: number | null = null;
  if (form.maxTokens.trim()) {
    maxTokens = Number(form.maxTokens);
    const floor = form.api === "responses" ? MIN_RESPONSES_MAX_TOKENS : 1;
    if (!Number.isInteger(maxTokens) || maxTokens < floor || maxTokens > MAX_TOKENS_LIMIT) {
      errors.maxTokens = form.api === "responses" ? "maxTokensResponses" : "maxTokens";
    }
  }

  return {
    settings: { model: form.model, system: form.system.trim(), temperature, maxTokens, stream: form.stream, api: form.api },
    errors,
  };
}
