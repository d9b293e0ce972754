/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeCallbackUrl(value: string | string[] | null | undefined, fallback = "/dashboard"): string {
  const url = Array.isArray(value) ? value[0] : value;
  return url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : fallback;
}
