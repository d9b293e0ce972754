import { getTranslations } from "next-intl/server";
import { ANTHROPIC_ERROR_TYPES } from "@/lib/docs/reference";

/** The Messages endpoints' error statuses: HTTP status, Anthropic's `error.type`, and what it means here. */
export async function AnthropicErrorTable() {
  const t = await getTranslations("docs.reference.anthropicErrors");
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-xs ring-1 ring-zinc-200">
      <table className="w-full text-left text-sm" data-testid="error-table">
        <thead className="bg-zinc-50 text-xs font-medium text-zinc-600">
          <tr>
            <th scope="col" className="px-3 py-2">{t("status")}</th>
            <th scope="col" className="px-3 py-2">{t("type")}</th>
            <th scope="col" className="px-3 py-2">{t("meaning")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {ANTHROPIC_ERROR_TYPES.map(([status, type]) => (
            <tr key={status} data-testid="error-row" data-status={status}>
              <th scope="row" className="px-3 py-2 font-mono font-semibold text-zinc-900">{status}</th>
              <td className="px-3 py-2">
                <code className="font-mono text-xs break-all text-indigo-700">{type}</code>
              </td>
              <td className="px-3 py-2 text-zinc-700">{t(`rows.${status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
