import { getTranslations } from "next-intl/server";
import { paramGroup, type Constraint, type DocsEndpoint, type ParamRow } from "@/lib/docs/reference";

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
 * descriptions from the docs catalog by parameter name, else the schema's own. A table on wide
 * screens; on a phone each row stacks into a card.
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

  const cell = "block px-0 py-1 align-top md:table-cell md:px-3 md:py-3";
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-zinc-200">
      <table className="block w-full text-sm md:table" data-testid="param-table">
        <thead className="hidden bg-zinc-50 text-left text-xs font-medium text-zinc-600 md:table-header-group">
          <tr>
            <th scope="col" className="px-3 py-2">{t("name")}</th>
            <th scope="col" className="px-3 py-2">{t("type")}</th>
            <th scope="col" className="px-3 py-2">{t("required")}</th>
            <th scope="col" className="px-3 py-2">{t("default")}</th>
            <th scope="col" className="px-3 py-2">{t("description")}</th>
          </tr>
        </thead>
        <tbody className="block divide-y divide-zinc-100 md:table-row-group">
          {rows.map((row) => {
            const text = description(row);
            return (
              <tr key={`${row.location}:${row.name}`} className="block px-4 py-3 md:table-row md:p-0" data-testid="param-row" data-param={row.name} data-location={row.location}>
                <th scope="row" className={`${cell} text-left font-normal md:whitespace-nowrap`}>
                  <code className="font-mono font-semibold text-zinc-900">{row.name}</code>
                  <span className="ml-2 text-xs text-zinc-500">{t(`in.${row.location}`)}</span>
                </th>
                <td className={cell}>
                  <code className="font-mono text-xs text-indigo-700">{row.type}</code>
                  {row.constraints.map((c, i) => (
                    <span key={i} className="block text-xs text-zinc-500">
                      {constraint(c)}
                    </span>
                  ))}
                </td>
                <td className={`${cell} whitespace-nowrap`}>
                  {row.required ? (
                    <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800">{t("required")}</span>
                  ) : (
                    <span className="text-xs text-zinc-500">{t("optional")}</span>
                  )}
                </td>
                <td className={cell}>
                  {row.defaultValue === null ? (
                    <span className="text-xs text-zinc-400 md:inline">{t("noDefault")}</span>
                  ) : (
                    <>
                      <span className="mr-1 text-xs text-zinc-500 md:hidden">{t("default")}:</span>
                      <code className="font-mono text-xs">{row.defaultValue}</code>
                    </>
                  )}
                </td>
                <td className={`${cell} text-zinc-700`}>{text ? <InlineCode text={text} /> : t("noDescription")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
