/**
 * The request header proxy.ts sets to the page's path and query, so a server component that sends
 * a visitor to sign-in can say where to come back to (Next gives pages no other way to read their URL).
 */
export const PAGE_PATH_HEADER = "x-rootapi-page-path";

/** Router-internal query parameters that are not part of the page's address. */
const INTERNAL_PARAMS = ["_rsc"];

export function pagePathOf(url: URL): string {
  const search = new URLSearchParams(url.search);
  for (const name of INTERNAL_PARAMS) search.delete(name);
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
