"use client";

import { useId } from "react";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTimeCell } from "@/components/ui/date-time-cell";
import { TableScroll } from "@/components/ui/table-scroll";
import { displayUsd } from "@/lib/money";
import type { KeyRow } from "@/lib/keys/key-rows";

const STATUS_TONE = { active: "green", revoked: "gray", expired: "amber" } as const;

/**
 * Name and prefix share the first column (the one that stays put when the table scrolls); times are
 * UTC and say so. The playground key's explanation is one note under the table, tied to its badge
 * by aria-describedby, instead of a paragraph that made its row several times taller.
 */
export function KeysTable({ keys, onRevoke }: { keys: KeyRow[]; onRevoke: (key: KeyRow) => void }) {
  const t = useTranslations("keys.table");
  const noteId = useId();
  const hasPlayground = keys.some((key) => key.playground);
  const limitsOf = (key: KeyRow) =>
    [
      key.rpmLimit ? t("rpm", { count: key.rpmLimit }) : null,
      key.tpmLimit ? t("tpm", { count: key.tpmLimit }) : null,
      key.allowedModels ? key.allowedModels.join(", ") : null,
    ]
      .filter(Boolean)
      .join(" · ");

  return (
    <div>
      <TableScroll label={t("label")}>
        <table className="min-w-full divide-y divide-zinc-200 text-sm" data-testid="keys-table">
          <thead className="text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase">
            <tr>
              <th scope="col" className="px-3 py-3">{t("name")}</th>
              <th scope="col" className="px-3 py-3">{t("created")}</th>
              <th scope="col" className="px-3 py-3">{t("lastUsed")}</th>
              <th scope="col" className="px-3 py-3">{t("expires")}</th>
              <th scope="col" className="px-3 py-3">{t("spent")}</th>
              <th scope="col" className="px-3 py-3">{t("status")}</th>
              <th scope="col" className="px-3 py-3"><span className="sr-only">{t("actions")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {keys.map((key) => {
              const limits = limitsOf(key);
              const spent = displayUsd(BigInt(key.spent));
              return (
                <tr key={key.id} data-testid="key-row" data-playground={key.playground ? "true" : undefined}>
                  <th
                    scope="row"
                    aria-describedby={key.playground ? noteId : undefined}
                    className="max-w-40 min-w-28 px-3 py-3 text-left font-medium wrap-anywhere sm:max-w-60"
                  >
                    {key.name}
                    {key.playground ? (
                      <>
                        {" "}
                        <Badge tone="indigo">{t("playgroundBadge")}</Badge>
                      </>
                    ) : null}
                    <span className="block font-mono text-xs font-normal text-zinc-500">
                      <span className="sr-only">{t("key")}: </span>
                      {key.prefix}
                    </span>
                  </th>
                  <td className="px-3 py-3"><DateTimeCell value={key.createdAt} /></td>
                  <td className="px-3 py-3"><DateTimeCell value={key.lastUsedAt} empty={t("neverUsed")} /></td>
                  <td className="px-3 py-3"><DateTimeCell value={key.expiresAt} empty={t("neverExpires")} /></td>
                  <td className="px-3 py-3 tabular-nums">
                    {key.budget
                      ? t(key.budgetPeriod === "MONTHLY" ? "spentOfMonthly" : "spentOf", { spent, budget: displayUsd(BigInt(key.budget)) })
                      : spent}
                    {limits ? <span className="block text-xs text-zinc-500 wrap-anywhere">{limits}</span> : null}
                  </td>
                  <td className="px-3 py-3">
                    <Badge tone={STATUS_TONE[key.status]}>{t(`statuses.${key.status}`)}</Badge>
                  </td>
                  <td className="px-3 py-3 text-right">
                    {key.status === "active" ? (
                      <Button variant="danger" size="sm" onClick={() => onRevoke(key)} aria-label={t("revokeLabel", { name: key.name })}>
                        {t("revoke")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {hasPlayground ? (
        <p id={noteId} className="mt-2 text-xs text-zinc-500" data-testid="playground-key-note">
          <Badge tone="indigo">{t("playgroundBadge")}</Badge> {t("playgroundNote")}
        </p>
      ) : null}
    </div>
  );
}
