"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { displayUsd } from "@/lib/money";
import type { KeyRow } from "@/lib/keys/key-rows";
import { ScrollArea } from "@/components/ui/scroll-area";

const STATUS_TONE = { active: "green", revoked: "gray", expired: "amber" } as const;

/** Times are shown in UTC (the provider's time zone) and say so. */
export const DATE_TIME_UTC = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" } as const;

export function KeysTable({ keys, onRevoke }: { keys: KeyRow[]; onRevoke: (key: KeyRow) => void }) {
  const t = useTranslations("keys.table");
  const format = useFormatter();
  const date = (iso: string | null, empty = "—") => (iso ? format.dateTime(new Date(iso), DATE_TIME_UTC) : empty);
  const limitsOf = (key: KeyRow) =>
    [
      key.rpmLimit ? t("rpm", { count: key.rpmLimit }) : null,
      key.tpmLimit ? t("tpm", { count: key.tpmLimit }) : null,
      key.allowedModels ? key.allowedModels.join(", ") : null,
    ]
      .filter(Boolean)
      .join(" · ");

  return (
    <ScrollArea label={t("label")} className="rounded-xl bg-white ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">{t("name")}</th>
            <th scope="col" className="px-4 py-3">{t("key")}</th>
            <th scope="col" className="px-4 py-3">{t("created")}</th>
            <th scope="col" className="px-4 py-3">{t("lastUsed")}</th>
            <th scope="col" className="px-4 py-3">{t("expires")}</th>
            <th scope="col" className="px-4 py-3">{t("spent")}</th>
            <th scope="col" className="px-4 py-3">{t("status")}</th>
            <th scope="col" className="px-4 py-3"><span className="sr-only">{t("actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {keys.map((key) => {
            const limits = limitsOf(key);
            const spent = displayUsd(BigInt(key.spent));
            return (
              <tr key={key.id} data-testid="key-row" data-playground={key.playground ? "true" : undefined}>
                <td className="px-4 py-3 font-medium">
                  {key.name}
                  {key.playground ? (
                    <>
                      {" "}
                      <Badge tone="indigo">{t("playgroundBadge")}</Badge>
                      <span className="mt-1 block max-w-64 text-xs font-normal text-zinc-500" data-testid="playground-key-note">
                        {t("playgroundNote")}
                      </span>
                    </>
                  ) : null}
                </td>
                <td className="px-4 py-3 font-mono text-xs whitespace-nowrap">{key.prefix}</td>
                <td className="px-4 py-3 whitespace-nowrap">{date(key.createdAt)}</td>
                <td className="px-4 py-3 whitespace-nowrap">{date(key.lastUsedAt, t("neverUsed"))}</td>
                <td className="px-4 py-3 whitespace-nowrap">{date(key.expiresAt, t("neverExpires"))}</td>
                <td className="px-4 py-3 whitespace-nowrap tabular-nums">
                  {key.budget
                    ? t(key.budgetPeriod === "MONTHLY" ? "spentOfMonthly" : "spentOf", { spent, budget: displayUsd(BigInt(key.budget)) })
                    : spent}
                  {limits ? <span className="block text-xs text-zinc-500">{limits}</span> : null}
                </td>
                <td className="px-4 py-3">
                  <Badge tone={STATUS_TONE[key.status]}>{t(`statuses.${key.status}`)}</Badge>
                </td>
                <td className="px-4 py-3 text-right">
                  {key.status === "active" ? (
                    <Button variant="ghost" size="sm" className="text-red-600" onClick={() => onRevoke(key)} aria-label={t("revokeLabel", { name: key.name })}>
                      {t("revoke")}
                    </Button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollArea>
  );
}
