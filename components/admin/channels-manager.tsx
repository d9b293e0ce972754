"use client";

import { useState } from "react";
import { EmptyState } from "@/components/portal/empty-state";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { portalFetch } from "@/lib/client/portal-fetch";
import type { ChannelRow } from "@/lib/channels/channel-rows";
import { ChannelForm } from "./channel-form";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime, tableClasses as t } from "./format";

const STATUS = {
  ENABLED: { tone: "green", label: "ENABLED" },
  DISABLED: { tone: "gray", label: "DISABLED" },
  AUTO_DISABLED: { tone: "red", label: "AUTO_DISABLED" },
} as const;

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
      setError((e as Error).message);
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
      setNotice(status === "ENABLED" ? `Channel ${channel.name} is enabled.` : `Channel ${channel.name} is disabled; requests stop going to it within seconds.`);
    });

  async function remove(channel: ChannelRow) {
    await portalFetch(`/api/admin/channels/${encodeURIComponent(channel.id)}`, { method: "DELETE" });
    setDeleting(null);
    setChannels((list) => list.filter((c) => c.id !== channel.id));
    setNotice(`Channel ${channel.name} was deleted.`);
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">
          {channels.length} channel{channels.length === 1 ? "" : "s"}. Changes reach the gateway within 5 seconds.
        </p>
        <Button onClick={() => setEditing(null)}>Add channel</Button>
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {channels.length ? (
        <div className={t.wrapper}>
          <table className={t.table}>
            <thead className={t.head}>
              <tr>
                <th scope="col" className={t.th}>Channel</th>
                <th scope="col" className={t.th}>Models</th>
                <th scope="col" className={t.th}>Routing</th>
                <th scope="col" className={t.th}>Status</th>
                <th scope="col" className={t.th}>Health</th>
                <th scope="col" className={t.th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className={t.body}>
              {channels.map((channel) => {
                const outcome = tests[channel.id];
                const mapping = Object.entries(channel.modelMapping);
                return (
                  <tr key={channel.id} data-testid="channel-row" data-channel={channel.name}>
                    <td className={t.td}>
                      <div className="font-medium whitespace-nowrap">{channel.name}</div>
                      <div className="text-xs text-zinc-500">
                        {channel.type}
                        {channel.hasApiKey ? " · key stored" : ""}
                        {channel.supportsResponses ? " · Responses API" : ""}
                      </div>
                      {channel.baseUrl ? <div className="mt-0.5 max-w-48 truncate font-mono text-xs text-zinc-500" title={channel.baseUrl}>{channel.baseUrl}</div> : null}
                    </td>
                    <td className={t.td}>
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
                    <td className={`${t.td} text-xs whitespace-nowrap text-zinc-600`}>
                      <div>Priority {channel.priority}</div>
                      <div>Weight {channel.weight}</div>
                      <div>Timeout {channel.timeoutMs ? `${channel.timeoutMs.toLocaleString("en-US")} ms` : "default"}</div>
                    </td>
                    <td className={t.td}>
                      <Badge tone={STATUS[channel.status].tone}>{STATUS[channel.status].label}</Badge>
                      {channel.disabledReason && channel.status !== "ENABLED" ? <p className="mt-1 max-w-56 text-xs text-zinc-600">{channel.disabledReason}</p> : null}
                    </td>
                    <td className={`${t.td} text-xs text-zinc-600`}>
                      <div className="whitespace-nowrap">Failures in a row: {channel.consecutiveFailures}</div>
                      <div className="whitespace-nowrap">Last latency: {channel.lastLatencyMs === null ? "—" : `${channel.lastLatencyMs} ms`}</div>
                      <div className="min-w-40">Last checked: {formatDateTime(channel.lastCheckedAt, "never")}</div>
                      {channel.lastError ? (
                        <p className="mt-1 max-w-56 break-words text-red-700" data-testid="channel-last-error">
                          Last error ({formatDateTime(channel.lastErrorAt)}): {channel.lastError}
                        </p>
                      ) : null}
                      {outcome ? (
                        <p
                          data-testid="channel-test-result"
                          aria-live="polite"
                          className={`mt-1 max-w-56 font-medium break-words ${outcome === "running" ? "text-zinc-600" : outcome.ok ? "text-emerald-700" : "text-red-700"}`}
                        >
                          {outcome === "running" ? "Testing…" : outcome.ok ? `Test OK · ${outcome.latencyMs} ms` : `Test failed: ${outcome.error ?? "no answer"}`}
                        </p>
                      ) : null}
                    </td>
                    <td className={`${t.td} text-right`}>
                      <div className="grid w-36 grid-cols-2 gap-1">
                        <Button variant="secondary" size="sm" disabled={busy === channel.id} onClick={() => test(channel)} aria-label={`Test ${channel.name}`}>
                          Test
                        </Button>
                        <Button variant="ghost" size="sm" onClick={() => setEditing(channel)} aria-label={`Edit ${channel.name}`}>
                          Edit
                        </Button>
                        <Button variant="ghost" size="sm" disabled={busy === channel.id} onClick={() => toggle(channel)} aria-label={`${channel.status === "ENABLED" ? "Disable" : "Enable"} ${channel.name}`}>
                          {channel.status === "ENABLED" ? "Disable" : "Enable"}
                        </Button>
                        <Button variant="ghost" size="sm" className="text-red-600" onClick={() => setDeleting(channel)} aria-label={`Delete ${channel.name}`}>
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No channels">Add a channel — an upstream such as OpenAI, a vLLM server or the sandbox — so models can be routed.</EmptyState>
      )}
      <Dialog open={editing !== undefined} onClose={() => setEditing(undefined)} title={editing ? `Edit ${editing.name}` : "Add a channel"}>
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
              setNotice(added ? `Channel ${saved.name} was added.` : `Channel ${saved.name} was saved.`);
              if (added) await reload().catch((e: Error) => setError(e.message));
              else replace(saved);
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this channel?"
        confirmLabel="Delete channel"
        pendingLabel="Deleting…"
        onCancel={() => setDeleting(null)}
        onConfirm={() => remove(deleting!)}
      >
        <p>
          <strong className="font-semibold text-zinc-900">{deleting?.name}</strong> stops serving {deleting?.models.join(", ")} at once. Its past
          requests stay in the log without a channel. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
