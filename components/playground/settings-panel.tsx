"use client";

import { useTranslations } from "next-intl";
import { inputClasses } from "@/components/ui/field";
import { displayUsd } from "@/lib/money";
import { MIN_RESPONSES_MAX_TOKENS, type PlaygroundApi, type PlaygroundModel } from "@/lib/playground/types";
import { cn } from "@/lib/utils/cn";
import type { SettingsErrorKey, SettingsErrors, SettingsForm } from "./settings-form";

const API_OPTIONS: Array<{ value: PlaygroundApi; path: string }> = [
  { value: "chat", path: "/v1/chat/completions" },
  { value: "responses", path: "/v1/responses" },
  { value: "messages", path: "/v1/messages" },
];

function FieldError({ id, error }: { id: string; error?: SettingsErrorKey }) {
  const t = useTranslations("playground.settings.errors");
  return error ? (
    <p id={id} className="mt-1 text-xs text-red-600">
      {t(error, { min: MIN_RESPONSES_MAX_TOKENS })}
    </p>
  ) : null;
}

/** Prices are micro-dollars per 1M tokens (decimal strings); the same rule as the catalog's "free". */
function usePriceLabels() {
  const t = useTranslations("playground.settings");
  const prices = (m: PlaygroundModel) => ({ input: displayUsd(BigInt(m.inputPrice)), output: displayUsd(BigInt(m.outputPrice)) });
  const unpriced = (m: PlaygroundModel) => m.inputPrice === "0" && m.outputPrice === "0";
  return {
    option: (m: PlaygroundModel) => t("modelOption", { model: m.id, price: unpriced(m) ? t("freeShort") : t("shortPrice", prices(m)) }),
    hint: (m: PlaygroundModel) => (m.free ? t("free") : t("price", prices(m))),
  };
}

/** Model, API, system prompt and sampling settings. Every control is labelled and keyboard-usable. */
export function SettingsPanel({
  models,
  form,
  errors,
  onChange,
}: {
  models: PlaygroundModel[];
  form: SettingsForm;
  errors: SettingsErrors;
  onChange: (patch: Partial<SettingsForm>) => void;
}) {
  const t = useTranslations("playground.settings");
  const tm = useTranslations("playground.mode");
  const priceLabels = usePriceLabels();
  const selected = models.find((m) => m.id === form.model);
  const describedBy = (...ids: Array<string | false | undefined>) => ids.filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-5">
      <div>
        <label htmlFor="pg-model" className="block text-sm font-medium text-zinc-900">
          {t("model")}
        </label>
        <select
          id="pg-model"
          value={form.model}
          onChange={(e) => onChange({ model: e.target.value })}
          aria-invalid={errors.model ? true : undefined}
          aria-describedby={describedBy("pg-model-price", errors.model && "pg-model-error")}
          className={cn(inputClasses, "mt-1.5 pr-8")}
        >
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {priceLabels.option(m)}
            </option>
          ))}
        </select>
        <p id="pg-model-price" className="mt-1 text-xs text-zinc-500" data-testid="model-price">
          {selected ? priceLabels.hint(selected) : null}
        </p>
        <FieldError id="pg-model-error" error={errors.model} />
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-zinc-900">{t("api")}</legend>
        <div className="mt-1.5 grid grid-cols-3 gap-1 rounded-lg bg-zinc-100 p-1">
          {API_OPTIONS.map((option) => (
            <label
              key={option.value}
              className={cn(
                "flex cursor-pointer items-center justify-center rounded-md px-1 py-1.5 text-center text-sm leading-tight font-medium wrap-anywhere has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600",
                form.api === option.value ? "bg-white text-zinc-900 shadow-xs" : "text-zinc-600 hover:text-zinc-900",
              )}
            >
              <input
                type="radio"
                name="pg-api"
                value={option.value}
                checked={form.api === option.value}
                onChange={() => onChange({ api: option.value })}
                className="sr-only"
              />
              {tm(option.value)}
            </label>
          ))}
        </div>
        <p className="mt-1 text-xs text-zinc-500">{t("apiHint", { path: API_OPTIONS.find((o) => o.value === form.api)!.path })}</p>
      </fieldset>

      <div>
        <label htmlFor="pg-system" className="block text-sm font-medium text-zinc-900">
          {t("system")}
        </label>
        <textarea
          id="pg-system"
          rows={4}
          value={form.system}
          onChange={(e) => onChange({ system: e.target.value })}
          placeholder={t("systemPlaceholder")}
          aria-describedby="pg-system-hint"
          className={cn(inputClasses, "mt-1.5 resize-y")}
        />
        <p id="pg-system-hint" className="mt-1 text-xs text-zinc-500">
          {form.api === "responses" ? t("systemHintResponses") : form.api === "messages" ? t("systemHintMessages") : t("systemHintChat")}
        </p>
      </div>

      <div className="grid grid-cols-2 gap-3">
        <div>
          <label htmlFor="pg-temperature" className="block text-sm font-medium text-zinc-900">
            {t("temperature")}
          </label>
          <input
            id="pg-temperature"
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            value={form.temperature}
            placeholder={t("defaultPlaceholder")}
            onChange={(e) => onChange({ temperature: e.target.value })}
            aria-invalid={errors.temperature ? true : undefined}
            aria-describedby={describedBy("pg-temperature-hint", errors.temperature && "pg-temperature-error")}
            className={cn(inputClasses, "mt-1.5")}
          />
          <p id="pg-temperature-hint" className="mt-1 text-xs text-zinc-500">
            {form.api === "messages" ? t("temperatureHintMessages") : t("temperatureHint")}
          </p>
          <FieldError id="pg-temperature-error" error={errors.temperature} />
        </div>
        <div>
          <label htmlFor="pg-max-tokens" className="block text-sm font-medium text-zinc-900">
            {t("maxTokens")}
          </label>
          <input
            id="pg-max-tokens"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={form.maxTokens}
            placeholder={t("defaultPlaceholder")}
            onChange={(e) => onChange({ maxTokens: e.target.value })}
            aria-invalid={errors.maxTokens ? true : undefined}
            aria-describedby={describedBy("pg-max-tokens-hint", errors.maxTokens && "pg-max-tokens-error")}
            className={cn(inputClasses, "mt-1.5")}
          />
          <p id="pg-max-tokens-hint" className="mt-1 text-xs text-zinc-500">
            {t("maxTokensHint")}
          </p>
          <FieldError id="pg-max-tokens-error" error={errors.maxTokens} />
        </div>
      </div>

      <div className="flex items-start gap-3">
        <input
          id="pg-stream"
          type="checkbox"
          checked={form.stream}
          onChange={(e) => onChange({ stream: e.target.checked })}
          aria-describedby="pg-stream-hint"
          className="mt-0.5 size-4 rounded border-zinc-300 text-indigo-600 focus:ring-indigo-600"
        />
        <div>
          <label htmlFor="pg-stream" className="text-sm font-medium text-zinc-900">
            {t("stream")}
          </label>
          <p id="pg-stream-hint" className="text-xs text-zinc-500">
            {t("streamHint")}
          </p>
        </div>
      </div>
    </div>
  );
}
