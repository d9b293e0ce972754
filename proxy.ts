import { NextResponse, type NextRequest } from "next/server";
import { newNonce, securityHeaders, servedOverHttps } from "./lib/http/security-headers";
import { PAGE_PATH_HEADER, pagePathOf } from "./lib/auth/page-path-header";

/**
 * Security headers for the portal (see lib/http/security-headers.ts). /v1 is answered by the
 * custom server before Next, and when it goes through Next its hot path skips this step too.
 */
export function proxy(request: NextRequest): NextResponse {
  const kind = request.nextUrl.pathname.startsWith("/api/") ? "api" : "page";
  const headers = securityHeaders({
    kind,
    nonce: kind === "page" ? newNonce() : undefined,
    https: servedOverHttps(request.headers.get("x-forwarded-proto")),
    dev: process.env.NODE_ENV === "development",
  });
  // Next takes the nonce for its scripts from the request's policy.
  const forwarded = new Headers(request.headers);
  if (kind === "page") {
    forwarded.set("content-security-policy", headers["content-security-policy"]!);
    // Set here, never taken from the client: a page sending a visitor to sign-in returns them to it.
    forwarded.set(PAGE_PATH_HEADER, pagePathOf(request.nextUrl));
  }
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // The app icons are static files: no page policy to set.
      source: "/((?!_next/static|_next/image|v1/|favicon.ico|icon.svg|apple-icon.png).*)",
      // Prefetches fetch router payloads, not documents; their scripts come from the page that asked.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
