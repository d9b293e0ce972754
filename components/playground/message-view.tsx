"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { PlaygroundMessage, TurnMetadata } from "@/lib/playground/types";
import { cn } from "@/lib/utils/cn";
import { Markdown } from "./markdown";

export function messageText(message: PlaygroundMessage): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}

function UsageLine({ metadata }: { metadata: TurnMetadata }) {
  const t = useTranslations("playground.message");
  const format = useFormatter();
  if (metadata.inputTokens === undefined) return null;
  const seconds =
    metadata.durationMs !== undefined
      ? format.number(metadata.durationMs / 1000, { style: "unit", unit: "second", unitDisplay: "narrow", minimumFractionDigits: 1, maximumFractionDigits: 1 })
      : null;
  return (
    <p className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500" data-testid="turn-usage">
      <span>
        {t("tokens", { input: metadata.inputTokens, output: metadata.outputTokens ?? 0 })}
        {metadata.cachedTokens ? ` ${t("cached", { cached: metadata.cachedTokens })}` : ""}
        {metadata.reasoningTokens ? ` · ${t("reasoningTokens", { reasoning: metadata.reasoningTokens })}` : ""}
      </span>
      {metadata.costLabel ? (
        <>
          <span aria-hidden>·</span>
          <span data-testid="turn-cost" title={t("costTitle", { micros: metadata.cost ?? "?" })}>
            {metadata.costLabel}
          </span>
        </>
      ) : null}
      {seconds ? (
        <>
          <span aria-hidden>·</span>
          <span>{seconds}</span>
        </>
      ) : null}
      {metadata.model ? (
        <>
          <span aria-hidden>·</span>
          <span>
            {metadata.model}
            {metadata.api === "responses" ? ` ${t("responsesSuffix")}` : metadata.api === "messages" ? ` ${t("messagesSuffix")}` : ""}
          </span>
        </>
      ) : null}
      {metadata.requestId ? (
        <Link
          href={`/usage/requests/${encodeURIComponent(metadata.requestId)}`}
          title={t("logLabel")}
          className="text-indigo-700 underline-offset-2 hover:underline"
        >
          {t("log")}
        </Link>
      ) : null}
    </p>
  );
}

/** One turn: the user's text as typed, the assistant's as markdown, with tokens and cost under it. */
export function MessageView({ message, streaming, stopped }: { message: PlaygroundMessage; streaming: boolean; stopped: boolean }) {
  const t = useTranslations("playground.message");
  if (message.role === "user") {
    return (
      <li className="flex justify-end" data-testid="user-message">
        <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-600 px-4 py-2.5 text-sm whitespace-pre-wrap text-white">
          <span className="sr-only">{t("you")} </span>
          {messageText(message)}
        </div>
      </li>
    );
  }
  const text = messageText(message);
  const reasoning = message.parts.map((part) => (part.type === "reasoning" ? part.text : "")).join("");
  return (
    <li className="flex justify-start" data-testid="assistant-message" aria-busy={streaming || undefined}>
      <div className="w-full max-w-[95%] min-w-0 text-sm text-zinc-900 sm:max-w-[85%]">
        <span className="sr-only">{t("assistant")} </span>
        {reasoning ? (
          <details className="mb-2 rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-600 ring-1 ring-zinc-200">
            <summary className="cursor-pointer font-medium">{t("reasoning")}</summary>
            <p className="mt-2 whitespace-pre-wrap">{reasoning}</p>
          </details>
        ) : null}
        <div className="rounded-2xl rounded-bl-sm bg-white px-4 py-2.5 ring-1 ring-zinc-200" data-testid="assistant-text">
          {text ? (
            <Markdown text={text} className={cn(streaming && "pg-caret")} />
          ) : streaming ? (
            <TypingDots />
          ) : (
            <span className="text-zinc-500 italic">{t("noText")}</span>
          )}
        </div>
        {stopped ? (
          <p className="mt-2 text-xs text-zinc-500" data-testid="turn-stopped">
            <Badge tone="amber">{t("stopped")}</Badge> <span className="ml-1">{t("stoppedNote")}</span>
          </p>
        ) : message.metadata ? (
          <UsageLine metadata={message.metadata} />
        ) : null}
      </div>
    </li>
  );
}

export function TypingDots({ label }: { label?: string }) {
  const t = useTranslations("playground.message");
  return (
    <span className="inline-flex items-center gap-1 py-1 text-zinc-500" role="status">
      <span className="sr-only">{label ?? t("waiting")}</span>
      {[0, 150, 300].map((delay) => (
        <span key={delay} aria-hidden className="size-1.5 animate-bounce rounded-full bg-zinc-400" style={{ animationDelay: `${delay}ms` }} />
      ))}
    </span>
  );
}
