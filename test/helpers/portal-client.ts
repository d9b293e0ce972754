import { Agent, fetch as undiciFetch } from "undici";

/**
 * A browser-like HTTP client for the portal's JSON routes: keeps cookies, signs in through next-auth.
 * With `localAddress` (any 127.x.y.z: all of 127/8 is loopback on Linux) its connections come from
 * that address, so a test can be several clients at different addresses without trusting a proxy header.
 */
export class PortalClient {
  private readonly cookies = new Map<string, string>();
  private readonly agent: Agent | null;

  constructor(
    private readonly baseUrl: string,
    options: { localAddress?: string } = {},
  ) {
    this.agent = options.localAddress ? new Agent({ localAddress: options.localAddress }) : null;
  }

  /** The cookie header this client sends (to replay it from elsewhere, like a stolen cookie). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    const response = this.agent
      ? ((await undiciFetch(this.baseUrl + path, { ...(init as object), headers, redirect: "manual", dispatcher: this.agent } as never)) as unknown as Response)
      : await fetch(this.baseUrl + path, { ...init, headers, redirect: "manual" });
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

  /** Signs out through next-auth as the portal's sign-out button does. */
  async signOut(): Promise<Response> {
    const { csrfToken } = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    return this.request("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/" }),
    });
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
