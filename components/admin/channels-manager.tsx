"use client";

import { useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { EmptyState } from "@/components/portal/empty-state";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { portalFetch, useErrorText } from "@/lib/client/portal-fetch";
import type { ChannelRow } from "@/lib/channels/channel-rows";
import { ChannelForm } from "./channel-form";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime, tableClasses as tc } from "./format";
import { TableScroll } from "@/components/ui/table-scroll";

const STATUS_TONE = { ENABLED: "green", DISABLED: "gray", AUTO_DISABLED: "red" } as const;

interface TestOutcome {
  ok: boolean;
  latencyMs: number;
  status: number | null;
  error: string | null;
}

export function ChannelsManager({ initialChannels, providerTypes }: { initialChannels: ChannelRow[]; providerTypes: readonly string[] }) {
  const [channels, setChannels] = useState(initialChannels);
  // undefined: closed; null: adding; a row: editing it.
  const [editing, setEditing] = useState<ChannelRow | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<ChannelRow | null>(null);
  const [tests, setTests] = useState<Record<string, TestOutcome | "running">>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const t = useTranslations("admin.channels");
  const errorText = useErrorText();
  const ts = useTranslations("admin.status");
  const tf = useTranslations("admin.format");
  const format = useFormatter();
  // Latencies as plain digits ("1234 ms"), like the test result the e2e suite reads.
  const ms = (value: number) => t("latencyMs", { ms: String(value) });

  const replace = (row: ChannelRow) => setChannels((list) => list.map((c) => (c.id === row.id ? row : c)));

  async function reload() {
    const { data } = await portalFetch<{ data: ChannelRow[] }>("/api/admin/channels");
    setChannels(data);
  }

  async function run(id: string, action: () => Promise<void>) {
    setBusy(id);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  const test = (channel: ChannelRow) =>
    run(channel.id, async () => {
      setTests((all) => ({ ...all, [channel.id]: "running" }));
      try {
        const { data, ...outcome } = await portalFetch<TestOutcome & { data: ChannelRow }>(`/api/admin/channels/${encodeURIComponent(channel.id)}/test`, { method: "POST" });
        setTests((all) => ({ ...all, [channel.id]: outcome }));
        replace(data);
      } catch (e) {
        setTests((all) => {
          const { [channel.id]: _dropped, ...rest } = all;
          return rest;
        });
        throw e;
      }
    });

  const toggle = (channel: ChannelRow) =>
    run(channel.id, async () => {
      const status = channel.status === "ENABLED" ? "DISABLED" : "ENABLED";
      const { data } = await portalFetch<{ data: ChannelRow }>(`/api/admin/channels/${encodeURIComponent(channel.id)}/status`, { method: "POST", body: JSON.stringify({ status }) });
      replace(data);
      setNotice(t(status === "ENABLED" ? "enabledNotice" : "disabledNotice", { name: channel.name }));
    });

  async function remove(channel: ChannelRow) {
    await portalFetch(`/api/admin/channels/${encodeURIComponent(channel.id)}`, { method: "DELETE" });
    setDeleting(null);
    setChannels((list) => list.filter((c) => c.id !== channel.id));
    setNotice(t("deletedNotice", { name: channel.name }));
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">
          {t("summary", { count: channels.length })}
        </p>
        <Button onClick={() => setEditing(null)}>{t("add")}</Button>
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {channels.length ? (
        <TableScroll label={t("title")}>
          <table className={tc.table}>
            <thead className={tc.head}>
              <tr>
                <th scope="col" className={tc.th}>{t("columns.channel")}</th>
                <th scope="col" className={tc.th}>{t("columns.models")}</th>
                <th scope="col" className={tc.th}>{t("columns.routing")}</th>
                <th scope="col" className={tc.th}>{t("columns.status")}</th>
                <th scope="col" className={tc.th}>{t("columns.health")}</th>
                <th scope="col" className={tc.th}>
                  <span className="sr-only">{t("columns.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className={tc.body}>
              {channels.map((channel) => {
                const outcome = tests[channel.id];
                const mapping = Object.entries(channel.modelMapping);
                return (
                  <tr key={channel.id} data-testid="channel-row" data-channel={channel.name}>
                    <td className={tc.td}>
                      <div className="font-medium whitespace-nowrap">{channel.name}</div>
                      <div className="text-xs text-zinc-500">
                        {channel.type}
                        {channel.hasApiKey ? t("keyStored") : ""}
                        {channel.supportsResponses ? t("responsesApi") : ""}
                      </div>
                      {channel.baseUrl ? <div className="mt-0.5 max-w-48 truncate font-mono text-xs text-zinc-500" title={channel.baseUrl}>{channel.baseUrl}</div> : null}
                    </td>
                    <td className={tc.td}>
                      <div className="min-w-32">{channel.models.join(", ")}</div>
                      {mapping.length ? (
                        <ul className="mt-1 font-mono text-xs text-zinc-500">
                          {mapping.map(([from, to]) => (
                            <li key={from}>
                              {from} → {to}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    <td className={`${tc.td} text-xs whitespace-nowrap text-zinc-600`}>
                      <div>{t("priority", { value: channel.priority })}</div>
                      <div>{t("weight", { value: channel.weight })}</div>
                      <div>{t("timeout", { value: channel.timeoutMs ? t("timeoutMs", { ms: format.number(channel.timeoutMs) }) : t("timeoutDefault") })}</div>
                    </td>
                    <td className={tc.td}>
                      <Badge tone={STATUS_TONE[channel.status]}>{ts(channel.status)}</Badge>
                      {channel.disabledReason && channel.status !== "ENABLED" ? <p className="mt-1 max-w-56 text-xs text-zinc-600">{channel.disabledReason}</p> : null}
                    </td>
                    <td className={`${tc.td} text-xs text-zinc-600`}>
                      <div className="whitespace-nowrap">{t("failures", { count: channel.consecutiveFailures })}</div>
                      <div className="whitespace-nowrap">{t("lastLatency", { latency: channel.lastLatencyMs === null ? "—" : ms(channel.lastLatencyMs) })}</div>
                      <div className="min-w-40">{t("lastChecked", { when: formatDateTime(format, channel.lastCheckedAt, tf("never")) })}</div>
                      {channel.lastError ? (
                        <p className="mt-1 max-w-56 break-words text-red-700" data-testid="channel-last-error">
                          {t("lastError", { when: formatDateTime(format, channel.lastErrorAt), error: channel.lastError })}
                        </p>
                      ) : null}
                      {outcome ? (
                        <p
                          data-testid="channel-test-result"
                          aria-live="polite"
                          className={`mt-1 max-w-56 font-medium break-words ${outcome === "running" ? "text-zinc-600" : outcome.ok ? "text-emerald-700" : "text-red-700"}`}
                        >
                          {outcome === "running" ? t("testing") : outcome.ok ? t("testOk", { ms: String(outcome.latencyMs) }) : t("testFailed", { error: outcome.error ?? t("noAnswer") })}
                        </p>
                      ) : null}
                    </td>
                    <td className={`${tc.td} text-right`}>
                      <div className="grid w-36 grid-cols-2 gap-1">
                        <Button variant="secondary" size="sm" disabled={busy === channel.id} onClick={() => test(channel)} aria-label={t("testLabel", { name: channel.name })}>
                          {t("test")}
                        </Button>
                        <Button variant="secondary" size="sm" onClick={() => setEditing(channel)} aria-label={t("editLabel", { name: channel.name })}>
                          {t("edit")}
                        </Button>
                        <Button variant={channel.status === "ENABLED" ? "danger" : "secondary"} size="sm" disabled={busy === channel.id} onClick={() => toggle(channel)} aria-label={t(channel.status === "ENABLED" ? "disableLabel" : "enableLabel", { name: channel.name })}>
                          {channel.status === "ENABLED" ? t("disable") : t("enable")}
                        </Button>
                        <Button variant="danger" size="sm" onClick={() => setDeleting(channel)} aria-label={t("deleteLabel", { name: channel.name })}>
                          {t("delete")}
                        </Button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>
      )}
      <Dialog open={editing !== undefined} onClose={() => setEditing(undefined)} title={editing ? t("editTitle", { name: editing.name }) : t("addTitle")}>
        {editing !== undefined ? (
          <ChannelForm
            key={editing?.id ?? "new"}
            channel={editing}
            providerTypes={providerTypes}
            onCancel={() => setEditing(undefined)}
            onSaved={async (saved) => {
              const added = editing === null;
              setEditing(undefined);
              setError(null);
              setNotice(t(added ? "addedNotice" : "savedNotice", { name: saved.name }));
              if (added) await reload().catch((e: unknown) => setError(errorText(e)));
              else replace(saved);
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle")}
        confirmLabel={t("deleteConfirm")}
        pendingLabel={t("deleting")}
        onCancel={() => setDeleting(null)}
        onConfirm={() => remove(deleting!)}
      >
        <p>
          {t.rich("deleteBody", {
            name: deleting?.name ?? "",
            models: deleting?.models.join(", ") ?? "",
            strong: (chunks) => <strong className="font-semibold text-zinc-900">{chunks}</strong>,
          })}
        </p>
      </ConfirmDialog>
    </div>
  );
}
