"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { displayUsd } from "@/lib/money";
import type { KeyRow } from "@/lib/keys/key-rows";

const STATUS_TONE = { active: "green", revoked: "gray", expired: "amber" } as const;

function limitsOf(key: KeyRow): string {
  return [key.rpmLimit ? `${key.rpmLimit} RPM` : null, key.tpmLimit ? `${key.tpmLimit} TPM` : null, key.allowedModels ? key.allowedModels.join(", ") : null]
    .filter(Boolean)
    .join(" · ");
}

function formatDate(iso: string | null, empty = "—") {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : empty;
}

export function KeysTable({ keys, onRevoke }: { keys: KeyRow[]; onRevoke: (key: KeyRow) => void }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">Name</th>
            <th scope="col" className="px-4 py-3">Key</th>
            <th scope="col" className="px-4 py-3">Created</th>
            <th scope="col" className="px-4 py-3">Last used</th>
            <th scope="col" className="px-4 py-3">Expires</th>
            <th scope="col" className="px-4 py-3">Spent</th>
            <th scope="col" className="px-4 py-3">Status</th>
            <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {keys.map((key) => (
            <tr key={key.id} data-testid="key-row">
              <td className="px-4 py-3 font-medium">{key.name}</td>
              <td className="px-4 py-3 font-mono text-xs whitespace-nowrap">{key.prefix}</td>
              <td className="px-4 py-3 whitespace-nowrap">{formatDate(key.createdAt)}</td>
              <td className="px-4 py-3 whitespace-nowrap">{formatDate(key.lastUsedAt, "Never")}</td>
              <td className="px-4 py-3 whitespace-nowrap">{formatDate(key.expiresAt, "Never")}</td>
              <td className="px-4 py-3 whitespace-nowrap tabular-nums">
                {displayUsd(BigInt(key.spent))}
                {key.budget ? ` of ${displayUsd(BigInt(key.budget))}${key.budgetPeriod === "MONTHLY" ? " /month" : ""}` : ""}
                {limitsOf(key) ? <span className="block text-xs text-zinc-500">{limitsOf(key)}</span> : null}
              </td>
              <td className="px-4 py-3">
                <Badge tone={STATUS_TONE[key.status]}>{key.status}</Badge>
              </td>
              <td className="px-4 py-3 text-right">
                {key.status === "active" ? (
                  <Button variant="ghost" size="sm" className="text-red-600" onClick={() => onRevoke(key)} aria-label={`Revoke ${key.name}`}>
                    Revoke
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
