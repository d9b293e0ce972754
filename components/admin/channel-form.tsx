"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import { mappingToText, type ChannelRow } from "@/lib/channels/channel-rows";

/** Technical examples: the same in every language. */
const EXAMPLES = { baseUrl: "https://api.openai.com/v1", models: "gpt-4o, gpt-4o-mini", mapping: "gpt-4o=gpt-4o-2024-08-06" } as const;
/** An `anthropic` channel's default upstream: the origin, as Anthropic's SDKs take it (no /v1). */
export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
const ANTHROPIC_EXAMPLES = { baseUrl: ANTHROPIC_DEFAULT_BASE_URL, models: "claude-sonnet-4-5, claude-haiku-4-5", mapping: "claude-sonnet-4-5=claude-sonnet-4-5-20250929" } as const;
/** A `gemini` channel's default upstream: the origin (no /v1beta). */
export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
const GEMINI_EXAMPLES = { baseUrl: GEMINI_DEFAULT_BASE_URL, models: "gemini-2.5-flash, gemini-embedding-001", mapping: "gemini-flash=gemini-2.5-flash" } as const;

/**
 * Creates a channel (no `channel`) or edits one. The API key is write-only: the field starts empty,
 * and leaving it empty keeps the stored key.
 */
export function ChannelForm({
  channel,
  providerTypes,
  onSaved,
  onCancel,
}: {
  channel: ChannelRow | null;
  providerTypes: readonly string[];
  onSaved: (channel: ChannelRow) => void;
  onCancel: () => void;
}) {
  const [error, setError] = useState<{ message: string } | null>(null);
  const [pending, setPending] = useState(false);
  const [type, setType] = useState(channel?.type ?? providerTypes[0] ?? "");
  const editing = channel !== null;
  const anthropic = type === "anthropic";
  const gemini = type === "gemini";
  const examples = anthropic ? ANTHROPIC_EXAMPLES : gemini ? GEMINI_EXAMPLES : EXAMPLES;
  const t = useTranslations("admin.channels.form");
  const errorText = useErrorText();
  const tc = useTranslations("common");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "");
    const body: Record<string, unknown> = {
      name: value("channel-name"),
      type: value("channel-type"),
      baseUrl: value("channel-base-url"),
      models: value("channel-models"),
      modelMapping: value("channel-mapping"),
      priority: value("channel-priority"),
      weight: value("channel-weight"),
      timeoutMs: value("channel-timeout"),
      supportsResponses: form.get("channel-responses") === "on",
    };
    if (value("channel-api-key")) body.apiKey = value("channel-api-key");
    if (form.get("channel-clear-key") === "on") body.clearApiKey = true;
    setPending(true);
    setError(null);
    try {
      const { data } = await portalFetch<{ data: ChannelRow }>(editing ? `/api/admin/channels/${encodeURIComponent(channel.id)}` : "/api/admin/channels", {
        method: editing ? "PATCH" : "POST",
        body: JSON.stringify(body),
      });
      onSaved(data);
    } catch (e) {
      setError({ message: errorText(e) });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label={editing ? t("editLabel", { name: channel.name }) : t("addLabel")} className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="channel-name" label={t("name")} required maxLength={100} defaultValue={channel?.name ?? ""} placeholder={t("namePlaceholder")} />
        <div>
          <label htmlFor="channel-type" className="block text-sm font-medium text-zinc-900">
            {t("type")}
          </label>
          <select id="channel-type" name="channel-type" value={type} onChange={(e) => setType(e.target.value)} className={`${inputClasses} mt-1.5`}>
            {providerTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Field
        id="channel-base-url"
        label={t("baseUrl")}
        type="url"
        defaultValue={channel?.baseUrl ?? ""}
        placeholder={examples.baseUrl}
        hint={
          anthropic ? t("baseUrlHintAnthropic", { url: ANTHROPIC_DEFAULT_BASE_URL }) : gemini ? t("baseUrlHintGemini", { url: GEMINI_DEFAULT_BASE_URL }) : t("baseUrlHint")
        }
      />
      <Field
        id="channel-api-key"
        label={t("apiKey")}
        type="password"
        autoComplete="new-password"
        placeholder={editing && channel.hasApiKey ? t("apiKeyStoredPlaceholder") : t("apiKeyNonePlaceholder")}
        hint={editing ? (channel.hasApiKey ? t("apiKeyStoredHint") : t("apiKeyMissingHint")) : t("apiKeyNewHint")}
      />
      {editing && channel.hasApiKey ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="channel-clear-key" className="size-4 rounded border-zinc-300" />
          {t("clearKey")}
        </label>
      ) : null}
      <Field id="channel-models" label={t("models")} required defaultValue={channel?.models.join(", ") ?? ""} placeholder={examples.models} hint={t("modelsHint")} />
      <div>
        <label htmlFor="channel-mapping" className="block text-sm font-medium text-zinc-900">
          {t("mapping")}
        </label>
        <textarea
          id="channel-mapping"
          name="channel-mapping"
          rows={3}
          defaultValue={channel ? mappingToText(channel.modelMapping) : ""}
          placeholder={examples.mapping}
          aria-describedby="channel-mapping-hint"
          className={`${inputClasses} mt-1.5 font-mono`}
        />
        <p id="channel-mapping-hint" className="mt-1 text-xs text-zinc-500">
          {t.rich("mappingHint", { code: (chunks) => <code>{chunks}</code> })}
        </p>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="channel-priority" label={t("priority")} inputMode="numeric" defaultValue={String(channel?.priority ?? 0)} hint={t("priorityHint")} />
        <Field id="channel-weight" label={t("weight")} inputMode="numeric" defaultValue={String(channel?.weight ?? 1)} hint={t("weightHint")} />
        <Field id="channel-timeout" label={t("timeout")} inputMode="numeric" defaultValue={channel?.timeoutMs == null ? "" : String(channel.timeoutMs)} placeholder="300000" />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="channel-responses" defaultChecked={channel?.supportsResponses ?? false} className="size-4 rounded border-zinc-300" />
        {t("responses")}
      </label>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          {tc("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : editing ? t("saveChanges") : t("add")}
        </Button>
      </div>
    </form>
  );
}
