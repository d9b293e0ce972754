/** Calls a portal JSON route and turns its error body into an Error with a readable message. */
export async function portalFetch<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  const body = (await response.json().catch(() => null)) as ({ error?: { message?: string } } & T) | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `Request failed (${response.status})`);
  return body as T;
}
