/** A browser-like HTTP client for the portal's JSON routes: keeps cookies, signs in through next-auth. */
export class PortalClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(this.baseUrl + path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  json(path: string, method: string, body?: unknown): Promise<Response> {
    return this.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async signUp(email: string, password: string): Promise<Response> {
    return this.json("/api/signup", "POST", { email, password });
  }

  /** Returns the error code next-auth reported, or null when the session cookie was issued. */
  async signIn(email: string, password: string): Promise<string | null> {
    const { csrfToken } = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/dashboard" }),
    });
    const location = response.headers.get("location") ?? "";
    if ([...this.cookies.keys()].some((name) => name.endsWith("session-token")) && !location.includes("error=")) return null;
    return new URL(location, this.baseUrl).searchParams.get("code") ?? new URL(location, this.baseUrl).searchParams.get("error") ?? `status ${response.status}`;
  }
}
