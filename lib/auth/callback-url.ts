/** Where sign-in and sign-up lead when nothing asked for another page. */
export const DEFAULT_CALLBACK_URL = "/dashboard";

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeCallbackUrl(value: string | string[] | null | undefined, fallback = DEFAULT_CALLBACK_URL): string {
  const url = Array.isArray(value) ? value[0] : value;
  return url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : fallback;
}

/** The sign-in or sign-up page, returning to `callbackUrl` afterwards (dropped when unsafe or the default). */
export function authPageHref(page: "/sign-in" | "/sign-up", callbackUrl: string | null | undefined): string {
  const target = safeCallbackUrl(callbackUrl, DEFAULT_CALLBACK_URL);
  return target === DEFAULT_CALLBACK_URL ? page : `${page}?callbackUrl=${encodeURIComponent(target)}`;
}
