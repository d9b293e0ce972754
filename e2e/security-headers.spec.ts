import { expect, test, type Page } from "@playwright/test";
import { ADMIN_EMAIL, prepareAdminTour, type AdminTour } from "./support/portal";

/**
 * Every portal page carries the security headers, its nonce-based Content-Security-Policy is one
 * the page actually satisfies (the browser refuses nothing), and the page still hydrates.
 */
type Ids = AdminTour["ids"];
const PAGES: Array<{ path: string | ((ids: Ids) => string); signedIn: boolean }> = [
  { path: "/", signedIn: false },
  { path: "/models", signedIn: false },
  { path: "/sign-in", signedIn: false },
  { path: "/sign-up", signedIn: false },
  { path: "/dashboard", signedIn: true },
  { path: "/keys", signedIn: true },
  { path: "/usage", signedIn: true },
  { path: (ids) => `/usage/requests/${ids.requestId}`, signedIn: true },
  { path: "/billing", signedIn: true },
  { path: "/billing/history", signedIn: true },
  { path: "/playground", signedIn: true },
  { path: "/docs", signedIn: true },
  { path: "/docs/chat-completions", signedIn: true },
  { path: "/docs/responses", signedIn: true },
  { path: "/docs/models", signedIn: true },
  { path: "/admin", signedIn: true },
  { path: "/admin/channels", signedIn: true },
  { path: "/admin/prices", signedIn: true },
  { path: "/admin/users", signedIn: true },
  { path: (ids) => `/admin/users/${ids.userId}`, signedIn: true },
];

let ids: AdminTour["ids"];
let adminState: AdminTour["state"];

test.beforeAll(async ({ browser }) => {
  ({ ids, state: adminState } = await prepareAdminTour(browser));
});

/** Collects what the browser refused: violation events (recorded before any page script) and console reports. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) console.push(text);
  });
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __cspViolations: string[] }).__cspViolations = []);
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

for (const visit of PAGES) {
  const label = typeof visit.path === "string" ? visit.path : visit.path({ requestId: ":id", userId: ":id", apiKey: "" });
  test(`${label} sends the security headers and runs under its policy`, async ({ browser }) => {
    const context = await browser.newContext({ storageState: visit.signedIn ? adminState : undefined });
    const page = await context.newPage();
    const violations = await watchViolations(page);
    const path = typeof visit.path === "string" ? visit.path : visit.path(ids);
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);

    const headers = response!.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("'unsafe-inline' 'strict-dynamic'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // Served over plain HTTP with no trusted proxy saying otherwise: no HSTS.
    expect(headers["strict-transport-security"]).toBeUndefined();

    // Hydrated: React has attached itself to the document, which only its (nonce-allowed) scripts can do.
    await expect.poll(() => page.evaluate(() => Object.keys(document.body).some((key) => key.startsWith("__react"))), { message: `${path} hydrates` }).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(await violations()).toEqual([]);
    await context.close();
  });
}

test("a fresh nonce per page view", async ({ request }) => {
  const nonce = async () => /'nonce-([^']+)'/.exec((await request.get("/sign-in")).headers()["content-security-policy"] ?? "")?.[1];
  const [a, b] = [await nonce(), await nonce()];
  expect(a).toBeTruthy();
  expect(a).not.toBe(b);
});

test("portal API answers and /v1 are not sniffed or framed", async ({ browser }) => {
  const context = await browser.newContext({ storageState: adminState });
  const api = await context.request.get("/api/keys");
  expect(api.status()).toBe(200);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
  const v1 = await context.request.get("/v1/models", { headers: { authorization: `Bearer ${ids.apiKey}` } });
  expect(v1.status()).toBe(200);
  expect(v1.headers()["x-content-type-options"]).toBe("nosniff");
  await context.close();
});

test("an interactive page works under the policy: the sign-in form submits", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto("/sign-in");
  await page.getByLabel(/email/i).fill(ADMIN_EMAIL);
  await page.getByLabel(/password/i).fill("wrong password, surely");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  expect(await violations()).toEqual([]);
});
