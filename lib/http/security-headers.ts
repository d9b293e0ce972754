import { trustedProxyHops } from "../auth/client-ip";

/**
 * The security headers of everything Next answers (proxy.ts sets them): a Content-Security-Policy,
 * nosniff, a referrer policy, no framing, and HSTS once the site is served over HTTPS.
 *
 * Pages get a nonce-based script policy: Next reads the nonce from the request's CSP header and puts
 * it on its own scripts, and 'strict-dynamic' lets those load the rest. Nothing else runs, so an
 * injected <script> or inline handler does nothing. API answers are data and may load nothing.
 */
export type ResponseKind = "page" | "api";

export interface SecurityHeaderOptions {
  kind: ResponseKind;
  /** Per request, unguessable; pages only. */
  nonce?: string;
  https: boolean;
  /** React's development build evaluates code for its error overlays. */
  dev?: boolean;
}

const HSTS = "max-age=31536000";

export function pagePolicy(nonce: string, https: boolean, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Style attributes only: React and Next write a few (positioning, animation delays); they cannot run code.
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": options.kind === "page" ? pagePolicy(options.nonce ?? "", options.https, options.dev) : API_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (options.https) headers["strict-transport-security"] = HSTS;
  return headers;
}

/**
 * Whether the browser reached us over HTTPS: PUBLIC_URL says so, or a trusted proxy (TRUST_PROXY)
 * says it terminated TLS. An untrusted X-Forwarded-Proto is ignored: anyone can send it.
 */
export function servedOverHttps(forwardedProto: string | null, env: Record<string, string | undefined> = process.env): boolean {
  if (env.PUBLIC_URL?.trim().toLowerCase().startsWith("https://")) return true;
  return trustedProxyHops(env) > 0 && forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** A fresh nonce: 128 random bits, base64 as CSP expects. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
