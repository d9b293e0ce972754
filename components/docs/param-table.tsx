import { getTranslations } from "next-intl/server";
import { paramGroup, type Constraint, type DocsEndpoint, type ParamRow } from "@/lib/docs/reference";
import { TypeText } from "./break-points";

/** `code` spans in a description (the schema's fallback texts use backticks). */
export function InlineCode({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 ? (
          <code key={i} className="rounded bg-zinc-100 px-1 font-mono text-[0.85em]">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

/**
 * An endpoint's parameters — generated from the OpenAPI document (so from the zod schemas), with
 * descriptions from the docs catalog by parameter name, else the schema's own.
 */
export async function ParamTable({ endpoint, rows }: { endpoint: DocsEndpoint; rows: ParamRow[] }) {
  const t = await getTranslations("docs.params");
  if (!rows.length) return null;

  const description = (row: ParamRow): string | null => {
    const key = `${paramGroup(endpoint, row.location)}.${row.name}`;
    if (t.has(key as never)) return t(key as never);
    return row.description;
  };
  const constraint = (c: Constraint) => {
    switch (c.kind) {
      case "enum":
        return t("constraint.enum", { values: c.values });
      case "range":
        return t("constraint.range", { min: c.min, max: c.max });
      case "min":
        return t("constraint.min", { min: c.min });
      case "max":
        return t("constraint.max", { max: c.max });
      case "maxItems":
        return t("constraint.maxItems", { max: c.max });
      case "maxLength":
        return t("constraint.maxLength", { max: c.max });
    }
  };

  // Two columns: the name (with where it goes, whether it is required and its type) at its natural
  // width, the description taking the rest and wrapping. In a narrow card (a container query: the
  // portal's side bars leave the docs under 42rem up to ~1100 px wide screens) each row stacks.
  const cell = "block px-0 py-1 align-top @2xl:table-cell @2xl:px-3 @2xl:py-3";
  return (
    <div className="@container overflow-x-auto rounded-xl bg-white shadow-xs ring-1 ring-zinc-200" data-testid="param-table-card">
      <table className="block w-full text-sm @2xl:table" data-testid="param-table">
        <thead className="hidden bg-zinc-50 text-left text-xs font-medium text-zinc-600 @2xl:table-header-group">
          <tr>
            <th scope="col" className="px-3 py-2 @2xl:w-px">
              {t("name")}
            </th>
            <th scope="col" className="px-3 py-2">
              {t("description")}
            </th>
          </tr>
        </thead>
        <tbody className="block divide-y divide-zinc-100 @2xl:table-row-group">
          {rows.map((row) => {
            const text = description(row);
            return (
              <tr key={`${row.location}:${row.name}`} className="block px-4 py-3 @2xl:table-row @2xl:p-0" data-testid="param-row" data-param={row.name} data-location={row.location}>
                <th scope="row" className={`${cell} text-left font-normal`} data-testid="param-name">
                  {/* One line: the name, "required" (optional is the rule), and where it goes unless in the body (where nearly all are). */}
                  <span className="flex flex-wrap items-baseline gap-x-2 gap-y-1 @2xl:flex-nowrap">
                    <code className="font-mono font-semibold break-all text-zinc-900 @2xl:break-normal @2xl:whitespace-nowrap">{row.name}</code>
                    {row.required ? <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-amber-800">{t("required")}</span> : null}
                    {row.location === "body" ? null : <span className="text-xs whitespace-nowrap text-zinc-500">{t(`in.${row.location}`)}</span>}
                  </span>
                  <code className="mt-1 block font-mono text-xs text-indigo-700" data-testid="param-type">
                    <TypeText type={row.type} />
                  </code>
                </th>
                <td className={`${cell} text-zinc-700 wrap-break-word`} data-testid="param-description">
                  <p>
                    {text ? <InlineCode text={text} /> : t("noDescription")}
                    {/* Limits and default trail the text rather than taking lines of their own; each is an inline
                        block, so it moves to the next line whole ("0 to 2", not "0 to" and "2"). */}
                    {row.constraints.map((c, i) => (
                      <span key={i} className="ml-2 inline-block max-w-[calc(100%-0.5rem)] text-xs text-zinc-500">
                        {constraint(c)}
                      </span>
                    ))}
                    {row.defaultValue !== null ? (
                      <span className="ml-2 inline-block max-w-[calc(100%-0.5rem)] text-xs text-zinc-500">
                        {t("default")}: <code className="font-mono wrap-break-word text-zinc-700">{row.defaultValue}</code>
                      </span>
                    ) : null}
                  </p>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
