"use client";

import "@/lib/client/zod-without-eval";
import Link from "next/link";
import { useChat } from "@ai-sdk/react";
import { useTranslations } from "next-intl";
import { DefaultChatTransport } from "ai";
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import type { SnippetTurn } from "@/lib/playground/snippets";
import type { PlaygroundErrorBody, PlaygroundMessage, PlaygroundModel } from "@/lib/playground/types";
import { cn } from "@/lib/utils/cn";
import { CodeDialog } from "./code-dialog";
import { MessageView, TypingDots, messageText } from "./message-view";
import { readSettings, type SettingsForm } from "./settings-form";
import { SettingsPanel } from "./settings-panel";

interface ShownError {
  message: string;
  code: string | null;
  status?: number;
}

/**
 * The playground route answers errors as {"error": {message, code, status}} (its own messages in the
 * request's language); useChat hands over the body as the message. Errors met inside a running
 * stream carry English text, so the playground's own codes are said again here in the UI's language.
 */
function useReadError(): (error: Error) => ShownError {
  const t = useTranslations("playground");
  return (error) => {
    let shown: ShownError | null = null;
    try {
      const body = JSON.parse(error.message) as Partial<PlaygroundErrorBody>;
      if (body.error?.message) shown = body.error;
    } catch {
      // not our JSON: a network failure or a plain-text error
    }
    if (!shown && error instanceof TypeError) return { message: t("error.network"), code: "network" };
    shown ??= { message: error.message || t("error.generic"), code: null };
    if (shown.code === "gateway_unreachable") return { ...shown, message: t("api.unreachable") };
    if (shown.code === "internal_error") return { ...shown, message: t("error.generic") };
    return shown;
  };
}

function ErrorNotice({ error, onRetry, busy }: { error: ShownError; onRetry: () => void; busy: boolean }) {
  const t = useTranslations("playground");
  const insufficient = error.code === "insufficient_quota" || error.status === 402;
  // The route says "<insufficient balance> <the gateway's own explanation>": the notice has its own heading.
  const prefix = t("api.insufficient", { detail: "" }).trim();
  const detail = error.message.startsWith(prefix) ? error.message.slice(prefix.length).trim() : error.message;
  return (
    <Alert tone="error" className="mx-3 mb-3 sm:mx-4">
      <div className="flex flex-wrap items-start justify-between gap-2" data-testid="playground-error">
        <div className="min-w-0 flex-1">
          {insufficient ? (
            <>
              <p className="font-semibold">{t("error.insufficientTitle")}</p>
              <p className="mt-1">
                {detail}{" "}
                {t.rich("error.insufficientHelp", {
                  link: (chunks) => (
                    <Link href="/billing" className="font-semibold underline underline-offset-2">
                      {chunks}
                    </Link>
                  ),
                })}
              </p>
            </>
          ) : (
            <p className="break-words">{error.message}</p>
          )}
        </div>
        {!insufficient ? (
          <Button variant="secondary" size="sm" onClick={onRetry} disabled={busy}>
            {t("error.retry")}
          </Button>
        ) : null}
      </div>
    </Alert>
  );
}

/**
 * The playground: a chat with any model the user can call, through our own /v1 API (see
 * app/api/playground/chat). useChat keeps the conversation; every turn posts it whole with the
 * current settings, so switching model or API mid-conversation just works.
 */
export function Playground({ models, initialModel, baseUrl }: { models: PlaygroundModel[]; initialModel: string | null; baseUrl: string }) {
  const t = useTranslations("playground");
  const readError = useReadError();
  const [form, setForm] = useState<SettingsForm>({
    model: initialModel ?? "",
    system: "",
    temperature: "",
    maxTokens: "",
    stream: true,
    api: "chat",
  });
  const [input, setInput] = useState("");
  const [codeOpen, setCodeOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [stoppedIds, setStoppedIds] = useState<ReadonlySet<string>>(new Set());
  const [transport] = useState(() => new DefaultChatTransport<PlaygroundMessage>({ api: "/api/playground/chat" }));
  const { messages, sendMessage, regenerate, status, stop, error, setMessages, clearError } = useChat<PlaygroundMessage>({
    transport,
    onFinish: ({ message, isAbort }) => {
      if (isAbort) setStoppedIds((ids) => new Set(ids).add(message.id));
    },
  });

  const { settings, errors } = useMemo(() => readSettings(form), [form]);
  const valid = Object.keys(errors).length === 0;
  const busy = status === "submitted" || status === "streaming";
  const canSend = valid && !busy && input.trim().length > 0;

  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  useEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [messages, status]);

  const turns = useMemo<SnippetTurn[]>(() => {
    const history = messages
      .filter((m) => m.role === "user" || m.role === "assistant")
      .map((m) => ({ role: m.role as SnippetTurn["role"], content: messageText(m) }))
      .filter((t) => t.content.trim());
    return input.trim() ? [...history, { role: "user", content: input.trim() }] : history;
  }, [messages, input]);

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) {
      if (!valid) setSettingsOpen(true);
      return;
    }
    stickToBottom.current = true;
    if (error) clearError();
    void sendMessage({ text: input.trim() }, { body: settings });
    setInput("");
  }

  function onComposerKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line; never while an input method is composing a character.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  function clear() {
    setMessages([]);
    setStoppedIds(new Set());
    clearError();
  }

  if (!models.length) {
    return (
      <Alert tone="warning">
        {t("noModels")}
      </Alert>
    );
  }

  const lastId = messages.at(-1)?.id;
  const modeLabel = t(`mode.${settings.api}`);
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_18rem] lg:gap-6">
      <section aria-labelledby="pg-conversation" className="flex min-w-0 flex-col rounded-xl bg-zinc-50/60 ring-1 ring-zinc-200">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 bg-white px-3 py-2 sm:px-4">
          <h2 id="pg-conversation" className="min-w-0 text-sm font-semibold wrap-anywhere">
            {t("conversation.title")} <span className="font-normal text-zinc-500">· {settings.model || t("conversation.noModel")} · {modeLabel}</span>
          </h2>
          <div className="flex items-center gap-2">
            <Button variant="secondary" size="sm" onClick={() => setCodeOpen(true)} disabled={!settings.model}>
              {t("conversation.viewCode")}
            </Button>
            <Button variant="ghost" size="sm" onClick={clear} disabled={busy || (!messages.length && !error)}>
              {t("conversation.clear")}
            </Button>
          </div>
        </div>

        <div
          ref={listRef}
          onScroll={(e) => {
            const el = e.currentTarget;
            stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
          className="h-[55dvh] min-h-72 overflow-y-auto px-3 py-4 sm:px-4 lg:h-[62dvh]"
        >
          {messages.length === 0 ? (
            <div className="grid h-full place-items-center text-center" data-testid="playground-empty">
              <div className="max-w-sm">
                <p className="font-semibold text-zinc-900">{t("conversation.emptyTitle")}</p>
                <p className="mt-1 text-sm text-zinc-600">
                  {t.rich("conversation.emptyBody", {
                    strong: (chunks) => <strong>{chunks}</strong>,
                    code: (chunks) => <code className="rounded bg-zinc-100 px-1 font-mono text-xs">{chunks}</code>,
                  })}
                </p>
              </div>
            </div>
          ) : (
            <ul role="log" aria-label={t("conversation.messages")} aria-busy={busy} className="space-y-4">
              {messages.map((message) => (
                <MessageView
                  key={message.id}
                  message={message}
                  streaming={busy && message.id === lastId && message.role === "assistant"}
                  stopped={stoppedIds.has(message.id)}
                />
              ))}
              {status === "submitted" && messages.at(-1)?.role === "user" ? (
                <li className="flex justify-start" data-testid="assistant-pending">
                  <div className="rounded-2xl rounded-bl-sm bg-white px-4 py-2.5 ring-1 ring-zinc-200">
                    <TypingDots />
                  </div>
                </li>
              ) : null}
            </ul>
          )}
        </div>

        {error ? <ErrorNotice error={readError(error)} busy={busy} onRetry={() => void regenerate({ body: settings })} /> : null}

        <form onSubmit={send} className="border-t border-zinc-200 bg-white p-3 sm:p-4">
          <label htmlFor="pg-input" className="sr-only">
            {t("composer.label")}
          </label>
          <textarea
            id="pg-input"
            rows={2}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onKeyDown={onComposerKey}
            placeholder={t("composer.placeholder")}
            aria-describedby="pg-input-hint"
            className={cn(inputClasses, "max-h-48 resize-y")}
          />
          <div className="mt-2 flex items-center justify-between gap-2">
            <p id="pg-input-hint" className="text-xs text-zinc-500">
              <span className="hidden sm:inline">{t("composer.hint")}</span>
              <span className="sm:hidden">{settings.stream ? t("composer.streaming") : t("composer.notStreaming")}</span>
            </p>
            {busy ? (
              <Button variant="danger" onClick={() => void stop()}>
                {t("composer.stop")}
              </Button>
            ) : (
              <Button type="submit" disabled={!canSend}>
                {t("composer.send")}
              </Button>
            )}
          </div>
        </form>
      </section>

      <aside aria-labelledby="pg-settings" className="order-first lg:order-none">
        <div className="rounded-xl bg-white p-4 ring-1 ring-zinc-200 lg:sticky lg:top-4">
          <div className="flex items-center justify-between gap-2">
            <h2 id="pg-settings" className="text-sm font-semibold">
              {t("settings.title")}
            </h2>
            <Button
              variant="secondary"
              size="sm"
              className="lg:hidden"
              aria-expanded={settingsOpen}
              aria-controls="pg-settings-body"
              onClick={() => setSettingsOpen((open) => !open)}
            >
              {settingsOpen ? t("settings.hide") : t("settings.show")}
            </Button>
          </div>
          {!settingsOpen ? (
            <p className="mt-1 text-xs text-zinc-500 wrap-anywhere lg:hidden">
              {settings.model} · {modeLabel} · {settings.stream ? t("settings.summaryStream") : t("settings.summaryNoStream")}
            </p>
          ) : null}
          <div id="pg-settings-body" className={cn("mt-4", settingsOpen ? "block" : "hidden lg:block")}>
            <SettingsPanel models={models} form={form} errors={errors} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} />
          </div>
        </div>
      </aside>

      <CodeDialog open={codeOpen} onClose={() => setCodeOpen(false)} baseUrl={baseUrl} settings={settings} turns={turns} />
    </div>
  );
}
