/** The sign-in page, coming back to `path` (a docs page) once signed in. */
export function signInHref(path: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(path)}`;
}
