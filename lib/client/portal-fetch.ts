import { useTranslations } from "next-intl";

/**
 * A portal JSON route failed. `message` is the server's message (already in the visitor's language)
 * or, when there is none, an English fallback: show errors with useErrorText, which says the
 * fallbacks (`reason` "unreachable" / "failed") in the visitor's language.
 */
export class PortalFetchError extends Error {
  constructor(
    message: string,
    readonly reason: "server" | "unreachable" | "failed",
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "PortalFetchError";
  }
}

/** Calls a portal JSON route and turns its error body into a PortalFetchError with a readable message. */
export async function portalFetch<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  } catch {
    throw new PortalFetchError("Could not reach the server. Check your connection and try again.", "unreachable");
  }
  const body = (await response.json().catch(() => null)) as ({ error?: { message?: string } } & T) | null;
  if (!response.ok) {
    const message = body?.error?.message;
    throw message ? new PortalFetchError(message, "server", response.status) : new PortalFetchError(`Request failed (${response.status})`, "failed", response.status);
  }
  return body as T;
}

/** (error) → the text to show for it: portalFetch's own fallbacks in the visitor's language, else the message. */
export function useErrorText(): (error: unknown) => string {
  const t = useTranslations("errors.client");
  return (error) => {
    if (error instanceof PortalFetchError && error.reason === "unreachable") return t("unreachable");
    if (error instanceof PortalFetchError && error.reason === "failed") return t("requestFailed", { status: error.status ?? 0 });
    return error instanceof Error && error.message ? error.message : t("unknown");
  };
}
