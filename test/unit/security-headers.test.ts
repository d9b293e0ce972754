import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { newNonce, pagePolicy, securityHeaders, servedOverHttps } from "@/lib/http/security-headers";
import { proxy } from "@/proxy";

describe("security headers", () => {
  it("pages get a nonce policy that forbids framing, plugins and other origins' scripts", () => {
    const policy = pagePolicy("abc123", false);
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toContain("upgrade-insecure-requests");
    expect(pagePolicy("n", true)).toContain("upgrade-insecure-requests");
    expect(pagePolicy("n", false, true)).toContain("'unsafe-eval'");
  });

  it("HSTS only over HTTPS: PUBLIC_URL, or a trusted proxy's X-Forwarded-Proto", () => {
    expect(servedOverHttps(null, { PUBLIC_URL: "https://api.example.com" })).toBe(true);
    expect(servedOverHttps("https", { TRUST_PROXY: "1" })).toBe(true);
    expect(servedOverHttps("https, http", { TRUST_PROXY: "true" })).toBe(true);
    expect(servedOverHttps("https", {})).toBe(false);
    expect(servedOverHttps("http", { TRUST_PROXY: "1" })).toBe(false);
    expect(servedOverHttps(null, { PUBLIC_URL: "http://localhost:3000" })).toBe(false);
    expect(securityHeaders({ kind: "api", https: true })["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(securityHeaders({ kind: "api", https: false })["strict-transport-security"]).toBeUndefined();
  });

  it("nonces are fresh and long enough", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });

  it("the proxy hands the page's policy to Next (for its script nonces) and to the browser", () => {
    const response = proxy(new NextRequest("http://portal.test/dashboard"));
    const policy = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    expect(response.headers.get("x-middleware-request-content-security-policy")).toContain(`'nonce-${nonce}'`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("portal API answers may load nothing; HSTS follows a trusted proxy", () => {
    const previous = process.env.TRUST_PROXY;
    process.env.TRUST_PROXY = "1";
    try {
      const response = proxy(new NextRequest("http://portal.test/api/keys", { headers: { "x-forwarded-proto": "https" } }));
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=/);
    } finally {
      if (previous === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = previous;
    }
  });
});
