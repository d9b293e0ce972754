"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EXAMPLE_RESPONSE_ID, EXAMPLES } from "@/lib/docs/examples";
import type { EndpointSlug } from "@/lib/docs/reference";
import type { TryItRequestLog } from "@/lib/docs/types";
import { displayUsd } from "@/lib/money";
import { v1Headers } from "@/lib/docs/request-headers";
import { useDocsKeys } from "./docs-keys";
import { KEY_PICKER_ID } from "./key-picker";
import { SignInLink } from "./sign-in-link";
import { SseTextCollector } from "./sse-text";

type KeyMode = "playground" | "pasted";
type LogState = { state: "idle" } | { state: "loading" } | { state: "found"; log: TryItRequestLog } | { state: "unavailable" };

interface RunState {
  phase: "idle" | "running" | "done";
  status: number | null;
  requestId: string | null;
  raw: string;
  text: string;
  streamed: boolean;
  /** A portal-side problem (not the API's answer): shown as an alert. */
  problem: string | null;
}

const IDLE: RunState = { phase: "idle", status: null, requestId: null, raw: "", text: "", streamed: false, problem: null };
/** The log row is written just behind the response: look a few times, then give up. */
const LOG_DELAYS = [150, 250, 400, 600, 800, 1000, 1500, 2000];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

const pretty = (raw: string) => {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
};

/** A portal route's own error ({error:{message}} without a request id): its message, in the user's language. */
function portalError(raw: string): string | null {
  try {
    const body = JSON.parse(raw) as { error?: { message?: unknown } };
    return typeof body.error?.message === "string" ? body.error.message : null;
  } catch {
    return null;
  }
}

const inputClasses =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-600";

/**
 * "Try it": the example request, editable, run against the live /v1 — with the user's Playground
 * key through /api/docs/try (the key never reaches the browser) or with a key pasted in this tab,
 * sent straight to /v1. Shows the status, the answer (streams render as they arrive), the request
 * id, and the cost and tokens from the request log. A visitor has no Playground key and no usage
 * log: they run it with a pasted key, or sign in.
 */
export function TryIt({ slug }: { slug: EndpointSlug }) {
  const t = useTranslations("docs.tryIt");
  const { signedIn, pasted, lastResponseId, setLastResponseId } = useDocsKeys();
  const example = EXAMPLES[slug];
  const initialBody = example.body ? JSON.stringify(example.body, null, 2) : "";
  const [bodyText, setBodyText] = useState(initialBody);
  const [path, setPath] = useState(() => `/v1${lastResponseId ? example.path.replace(EXAMPLE_RESPONSE_ID, lastResponseId) : example.path}`);
  const [keyMode, setKeyMode] = useState<KeyMode>("playground");
  const [inputError, setInputError] = useState<string | null>(null);
  const [run, setRun] = useState<RunState>(IDLE);
  const [log, setLog] = useState<LogState>({ state: "idle" });
  const controller = useRef<AbortController | null>(null);
  const ids = { body: useId(), path: useId(), key: useId(), error: useId() };
  const hasBody = example.method === "POST";
  // The cost comes from the user's own usage log: a visitor has none to read.
  const billed = hasBody && !example.unbilled && signedIn;
  const mode: KeyMode = !signedIn || (keyMode === "pasted" && pasted.trim()) ? "pasted" : "playground";
  const needsKey = mode === "pasted" && !pasted.trim();

  useEffect(() => () => controller.current?.abort(), []);

  async function lookUpLog(requestId: string, signal: AbortSignal) {
    setLog({ state: "loading" });
    for (const delay of LOG_DELAYS) {
      await sleep(delay, signal);
      if (signal.aborted) return;
      try {
        const response = await fetch(`/api/docs/requests/${encodeURIComponent(requestId)}`, { signal, cache: "no-store" });
        if (response.ok) return setLog({ state: "found", log: (await response.json()) as TryItRequestLog });
      } catch {
        if (signal.aborted) return;
      }
    }
    setLog({ state: "unavailable" });
  }

  async function execute() {
    setInputError(null);
    let body: Record<string, unknown> | undefined;
    if (hasBody) {
      try {
        const parsed: unknown = JSON.parse(bodyText);
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return setInputError(t("notObject"));
        body = parsed as Record<string, unknown>;
      } catch (error) {
        return setInputError(t("invalidJson", { error: error instanceof Error ? error.message : String(error) }));
      }
    }
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setRun({ ...IDLE, phase: "running" });
    setLog({ state: "idle" });

    let response: Response;
    try {
      response =
        mode === "playground"
          ? await fetch("/api/docs/try", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ method: example.method, path: path.trim(), body }),
              signal: abort.signal,
            })
          : await fetch(path.trim(), {
              method: example.method,
              headers: v1Headers(path.trim(), pasted.trim(), body !== undefined),
              body: body ? JSON.stringify(body) : undefined,
              signal: abort.signal,
            });
    } catch (error) {
      const stopped = abort.signal.aborted;
      setRun((r) => ({ ...r, phase: "done", problem: stopped ? t("stopped") : t("networkError", { error: error instanceof Error ? error.message : String(error) }) }));
      return;
    }

    // Anthropic's clients read `request-id`; the gateway's own header is `x-request-id`.
    const requestId = response.headers.get("x-request-id") ?? response.headers.get("request-id");
    const streamed = (response.headers.get("content-type") ?? "").includes("text/event-stream");
    setRun((r) => ({ ...r, status: response.status, requestId, streamed }));
    const collector = new SseTextCollector();
    let raw = "";
    try {
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        const piece = decoder.decode(value, { stream: true });
        raw += piece;
        if (streamed) collector.push(piece);
        const snapshot = raw;
        setRun((r) => ({ ...r, raw: snapshot, text: collector.text }));
      }
      raw += decoder.decode();
    } catch {
      if (!abort.signal.aborted) setRun((r) => ({ ...r, problem: t("interrupted") }));
      else setRun((r) => ({ ...r, problem: t("stopped") }));
    }
    const problem = !requestId && !response.ok ? portalError(raw) : null;
    if (slug === "responses" && response.ok) {
      const created = /"id":\s*"(resp_[A-Za-z0-9]+)"/.exec(raw);
      if (created) setLastResponseId(created[1]!);
    }
    setRun((r) => ({ ...r, phase: "done", raw: streamed ? raw : pretty(raw), text: collector.text, problem: r.problem ?? problem }));
    if (requestId && billed) await lookUpLog(requestId, abort.signal);
  }

  const running = run.phase === "running";

  return (
    <section aria-labelledby={`${ids.body}-title`} data-testid="try-it" className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-zinc-200 sm:p-5">
      <h2 id={`${ids.body}-title`} className="text-base font-semibold text-zinc-900">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm text-zinc-600">{t("intro")}</p>

      <div className="mt-4 grid grid-cols-1 gap-4">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-[auto_minmax(0,1fr)]">
          <div>
            <span className="block text-sm font-medium text-zinc-900">{t("method")}</span>
            <span className="mt-1 inline-block rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm">{example.method}</span>
          </div>
          <div>
            <label htmlFor={ids.path} className="block text-sm font-medium text-zinc-900">
              {t("path")}
            </label>
            {/* A one-line field that wraps instead of hiding the end of a long path (ids make them long). */}
            <textarea
              id={ids.path}
              value={path}
              rows={1}
              onChange={(e) => setPath(e.target.value.replace(/[\r\n]/g, ""))}
              onKeyDown={(e) => {
                if (e.key !== "Enter") return;
                e.preventDefault();
                if (!running && !needsKey) void execute();
              }}
              readOnly={hasBody}
              spellCheck={false}
              className={`mt-1 field-sizing-content resize-none font-mono break-all ${inputClasses} ${hasBody ? "bg-zinc-50" : ""}`}
              data-testid="try-it-path"
            />
          </div>
        </div>

        {hasBody ? (
          <div>
            <div className="flex items-end justify-between gap-2">
              <label htmlFor={ids.body} className="block text-sm font-medium text-zinc-900">
                {t("request")}
              </label>
              <Button variant="ghost" size="sm" className="whitespace-nowrap" onClick={() => {
                  setBodyText(initialBody);
                  setInputError(null);
                }}>
                {t("reset")}
              </Button>
            </div>
            <textarea
              id={ids.body}
              value={bodyText}
              onChange={(e) => setBodyText(e.target.value)}
              rows={Math.min(16, Math.max(6, bodyText.split("\n").length + 1))}
              spellCheck={false}
              aria-invalid={inputError ? true : undefined}
              aria-describedby={inputError ? ids.error : undefined}
              className={`mt-1 font-mono text-xs sm:text-sm ${inputClasses}`}
              data-testid="try-it-body"
            />
          </div>
        ) : null}

        {inputError ? (
          <div id={ids.error} data-testid="try-it-input-error">
            <Alert tone="error">{inputError}</Alert>
          </div>
        ) : null}

        <div className="flex flex-wrap items-end gap-3">
          {signedIn ? (
            <div className="min-w-0 flex-1 basis-56">
              <label htmlFor={ids.key} className="block text-sm font-medium text-zinc-900">
                {t("keyLabel")}
              </label>
              <select id={ids.key} value={mode} onChange={(e) => setKeyMode(e.target.value as KeyMode)} className={`mt-1 ${inputClasses}`} data-testid="try-it-key">
                <option value="playground">{t("keyPlayground")}</option>
                <option value="pasted" disabled={!pasted.trim()}>
                  {pasted.trim() ? t("keyPasted") : t("keyPasteFirst")}
                </option>
              </select>
            </div>
          ) : (
            <p className="min-w-0 flex-1 basis-56 text-sm text-zinc-600" data-testid="try-it-visitor">
              {needsKey
                ? t.rich("visitorNeedsKey", {
                    signIn: (chunks) => <SignInLink>{chunks}</SignInLink>,
                    paste: (chunks) => (
                      <a href={`#${KEY_PICKER_ID}`} className="font-medium text-indigo-600 hover:text-indigo-500">
                        {chunks}
                      </a>
                    ),
                  })
                : t("visitorPasted")}
            </p>
          )}
          {running ? (
            <Button variant="secondary" className="whitespace-nowrap" onClick={() => controller.current?.abort()}>
              {t("stop")}
            </Button>
          ) : null}
          <Button onClick={execute} disabled={running || needsKey} className="whitespace-nowrap" data-testid="try-it-run">
            {running ? t("running") : t("run")}
          </Button>
        </div>
      </div>

      <div className="mt-5 grid grid-cols-1 gap-3" aria-live="polite" aria-busy={running}>
        {run.phase === "idle" ? (
          <p className="rounded-md border border-dashed border-zinc-300 px-3 py-6 text-center text-sm text-zinc-500" data-testid="try-it-empty">
            {t("empty")}
          </p>
        ) : (
          <>
            <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
              <div className="flex gap-2">
                <dt className="text-zinc-600">{t("status")}</dt>
                <dd className={`font-mono font-semibold ${run.status !== null && run.status >= 400 ? "text-red-700" : "text-emerald-700"}`} data-testid="try-it-status">
                  {run.status ?? "…"}
                </dd>
              </div>
              {run.requestId ? (
                <div className="flex min-w-0 gap-2">
                  <dt className="text-zinc-600">{t("requestId")}</dt>
                  <dd className="font-mono break-all" data-testid="try-it-request-id">
                    {run.requestId}
                  </dd>
                </div>
              ) : null}
            </dl>

            {run.status === 402 ? (
              <Alert tone="warning">
                {t.rich("insufficient", { link: (chunks) => <Link href="/billing" className="font-semibold underline">{chunks}</Link> })}
              </Alert>
            ) : null}
            {run.problem ? <Alert tone={run.problem === t("stopped") ? "info" : "error"}>{run.problem}</Alert> : null}

            {run.streamed ? (
              <div>
                <p className="text-sm font-medium text-zinc-900">{t("streamedText")}</p>
                <p className="mt-1 min-h-10 rounded-md bg-zinc-50 px-3 py-2 text-sm whitespace-pre-wrap ring-1 ring-zinc-200" data-testid="try-it-text">
                  {run.text || (running ? t("waiting") : "")}
                </p>
              </div>
            ) : null}

            <div>
              <p className="text-sm font-medium text-zinc-900">{t("response")}</p>
              <pre className="mt-1 max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 text-xs leading-relaxed break-all whitespace-pre-wrap text-zinc-100" data-testid="try-it-response">
                {run.raw || (running ? t("waiting") : "")}
              </pre>
            </div>

            {billed && run.requestId ? (
              <div className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="try-it-usage">
                {log.state === "found" ? (
                  <p className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
                    <span>
                      {t("cost")}:{" "}
                      <strong className="font-mono" data-testid="try-it-cost">
                        {displayUsd(BigInt(log.log.cost))}
                      </strong>
                    </span>
                    <span data-testid="try-it-tokens">{t("tokens", { input: log.log.promptTokens, output: log.log.completionTokens })}</span>
                    {log.log.estimated ? <span className="text-xs">{t("estimated")}</span> : null}
                    <Link href={`/usage/requests/${encodeURIComponent(log.log.id)}`} className="font-medium text-indigo-700 underline">
                      {t("viewRequest")}
                    </Link>
                  </p>
                ) : log.state === "unavailable" ? (
                  <p>{t("costUnavailable")}</p>
                ) : (
                  <p>{t("costLoading")}</p>
                )}
              </div>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
