import { getTranslations } from "next-intl/server";
import type { EndpointError } from "@/lib/docs/errors";

/** The errors one endpoint can answer with: HTTP status, the `error.type` (Anthropic) or `error.code` (OpenAI), and when. */
export async function ErrorTable({ errors, anthropic }: { errors: EndpointError[]; anthropic: boolean }) {
  const t = await getTranslations("docs.reference");
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-xs ring-1 ring-zinc-200">
      <table className="w-full text-left text-sm" data-testid="error-table">
        <thead className="bg-zinc-50 text-xs font-medium text-zinc-600">
          <tr>
            <th scope="col" className="w-px px-3 py-2 whitespace-nowrap">
              {t("errorTable.status")}
            </th>
            <th scope="col" className="w-px px-3 py-2 whitespace-nowrap">
              {anthropic ? t("errorTable.type") : t("errorTable.code")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("errorTable.meaning")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {errors.map((error) => (
            <tr key={error.status} data-testid="error-row" data-status={error.status}>
              <th scope="row" className="px-3 py-2 align-top font-mono font-semibold text-zinc-900">
                {error.status}
              </th>
              <td className="px-3 py-2 align-top">
                <code className="font-mono text-xs wrap-anywhere text-indigo-700">{error.code}</code>
              </td>
              <td className="px-3 py-2 align-top text-zinc-700">{t(`errorMeanings.${error.meaning}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
