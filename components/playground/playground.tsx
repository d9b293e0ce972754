"use client";

import Link from "next/link";
import { useChat } from "@ai-sdk/react";
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

/** The playground route answers errors as {"error": {message, code, status}}; useChat hands over the body as the message. */
function readError(error: Error): ShownError {
  try {
    const body = JSON.parse(error.message) as Partial<PlaygroundErrorBody>;
    if (body.error?.message) return body.error;
  } catch {
    // not our JSON: a network failure or a plain-text error
  }
  if (error instanceof TypeError) return { message: "Could not reach the server. Check your connection and try again.", code: "network" };
  return { message: error.message || "Something went wrong. Please try again.", code: null };
}

function ErrorNotice({ error, onRetry, busy }: { error: ShownError; onRetry: () => void; busy: boolean }) {
  const insufficient = error.code === "insufficient_quota" || error.status === 402;
  return (
    <Alert tone="error" className="mx-3 mb-3 sm:mx-4">
      <div className="flex flex-wrap items-start justify-between gap-2" data-testid="playground-error">
        <div className="min-w-0 flex-1">
          {insufficient ? (
            <>
              <p className="font-semibold">Insufficient balance — top up to use this model.</p>
              <p className="mt-1">
                {error.message.replace(/^Insufficient balance — top up to keep using this model\.\s*/, "")}{" "}
                <Link href="/billing" className="font-semibold underline underline-offset-2">
                  Top up on the Billing page
                </Link>
                , or pick a free model such as sandbox-chat.
              </p>
            </>
          ) : (
            <p className="break-words">{error.message}</p>
          )}
        </div>
        {!insufficient ? (
          <Button variant="secondary" size="sm" onClick={onRetry} disabled={busy}>
            Retry
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
        No model can be called yet: an administrator needs to add a channel and a price (the built-in sandbox channel may have been
        disabled).
      </Alert>
    );
  }

  const lastId = messages.at(-1)?.id;
  const modeLabel = settings.api === "responses" ? "Responses" : "Chat Completions";
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_18rem] lg:gap-6">
      <section aria-labelledby="pg-conversation" className="flex min-w-0 flex-col rounded-xl bg-zinc-50/60 ring-1 ring-zinc-200">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 bg-white px-3 py-2 sm:px-4">
          <h2 id="pg-conversation" className="min-w-0 truncate text-sm font-semibold">
            Conversation <span className="font-normal text-zinc-500">· {settings.model || "no model"} · {modeLabel}</span>
          </h2>
          <div className="flex items-center gap-2">
            <Button variant="secondary" size="sm" onClick={() => setCodeOpen(true)} disabled={!settings.model}>
              View code
            </Button>
            <Button variant="ghost" size="sm" onClick={clear} disabled={busy || (!messages.length && !error)}>
              Clear
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
                <p className="font-semibold text-zinc-900">Start a conversation</p>
                <p className="mt-1 text-sm text-zinc-600">
                  Every message is a real call through your <strong>Playground</strong> API key: billed and logged like any other. The{" "}
                  <code className="rounded bg-zinc-100 px-1 font-mono text-xs">sandbox-chat</code> model is free and works offline.
                </p>
              </div>
            </div>
          ) : (
            <ul role="log" aria-label="Messages" aria-busy={busy} className="space-y-4">
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
            Message
          </label>
          <textarea
            id="pg-input"
            rows={2}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onKeyDown={onComposerKey}
            placeholder="Send a message…"
            aria-describedby="pg-input-hint"
            className={cn(inputClasses, "max-h-48 resize-y")}
          />
          <div className="mt-2 flex items-center justify-between gap-2">
            <p id="pg-input-hint" className="text-xs text-zinc-500">
              <span className="hidden sm:inline">Enter to send · Shift+Enter for a new line</span>
              <span className="sm:hidden">{settings.stream ? "Streaming" : "Not streaming"}</span>
            </p>
            {busy ? (
              <Button variant="danger" onClick={() => void stop()}>
                Stop
              </Button>
            ) : (
              <Button type="submit" disabled={!canSend}>
                Send
              </Button>
            )}
          </div>
        </form>
      </section>

      <aside aria-labelledby="pg-settings" className="order-first lg:order-none">
        <div className="rounded-xl bg-white p-4 ring-1 ring-zinc-200 lg:sticky lg:top-4">
          <div className="flex items-center justify-between gap-2">
            <h2 id="pg-settings" className="text-sm font-semibold">
              Settings
            </h2>
            <Button
              variant="secondary"
              size="sm"
              className="lg:hidden"
              aria-expanded={settingsOpen}
              aria-controls="pg-settings-body"
              onClick={() => setSettingsOpen((open) => !open)}
            >
              {settingsOpen ? "Hide" : "Show"} settings
            </Button>
          </div>
          {!settingsOpen ? (
            <p className="mt-1 truncate text-xs text-zinc-500 lg:hidden">
              {settings.model} · {modeLabel} · {settings.stream ? "stream" : "no stream"}
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
