import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import os from "node:os";
import path from "node:path";
import { ADMIN_EMAIL, LANGS, PASSWORD, ensureAccount, ensureAdminAccount, msg, shot, useLanguage } from "./support/portal";

/**
 * The portal as a visitor meets it: public docs with a title and description per page, the
 * landing page's way to them, the branded 404 with navigation, the icons, and sign-in (or sign-up)
 * that brings you back to the page you were on.
 */
const en = (key: string, args?: Record<string, string | number>) => msg("en", key, args);
const MEMBER = `reader-${Date.now()}@example.com`;

/** The page's whole address is this path (and query): a sign-in URL naming it as callbackUrl does not count. */
const at = (pathAndQuery: string) => new RegExp(`^https?://[^/]+${pathAndQuery.replace(/[.?*+^$()[\]{}|\\/]/g, "\\$&")}$`);

/** Every response of 400 or more the page's own loads got (the document itself aside), and console errors. */
function watchFailures(page: Page, except: (url: string) => boolean = () => false): string[] {
  const failures: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400 && !except(response.url())) failures.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") failures.push(`console: ${message.text()}`);
  });
  return failures;
}

async function signInWithForm(page: Page, email: string) {
  await page.getByLabel(en("auth.fields.email")).fill(email);
  await page.getByLabel(en("auth.fields.password")).fill(PASSWORD);
  await page.getByRole("button", { name: en("auth.signIn.submit") }).click();
}

test.describe.configure({ mode: "serial" });

test("a visitor reads the docs: titles, descriptions, the public header, no failed loads", async ({ page }) => {
  const failures = watchFailures(page);
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: en("nav.site") });
  await expect(nav.getByRole("link", { name: en("nav.models") })).toBeVisible();
  await nav.getByRole("link", { name: en("nav.docs") }).click();

  await expect(page).toHaveURL(at("/docs"));
  await expect(page.getByRole("heading", { level: 1, name: en("docs.quickstart.title") })).toBeVisible();
  await expect(page).toHaveTitle("Docs · RootAPI");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /^From zero to your first call in four steps\./);
  await expect(page.getByTestId("account-links").getByRole("link", { name: en("common.signIn") })).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  await shot(page, "public-docs-visitor");

  await page.goto("/docs/chat-completions");
  await expect(page.getByRole("heading", { level: 1, name: en("docs.endpoints.chatCompletions.name") })).toBeVisible();
  await expect(page).toHaveTitle("Create chat completion · API reference · RootAPI");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", en("docs.endpoints.chatCompletions.summary"));
  expect(failures).toEqual([]);
});

for (const lang of LANGS) {
  test(`an unknown address shows the branded 404 with navigation (${lang})`, async ({ page, context, baseURL }) => {
    await useLanguage(context, baseURL!, lang);
    const failures = watchFailures(page, (url) => url.includes("/no-such-page"));
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: msg(lang, "errors.page.notFound.title") })).toBeVisible();
    await expect(page.getByText(msg(lang, "errors.page.notFound.body"))).toBeVisible();
    await expect(page).toHaveTitle(`${msg(lang, "errors.page.notFound.title")} · RootAPI`);
    const nav = page.getByRole("navigation", { name: msg(lang, "nav.site") });
    await expect(page.getByTestId("account-links").getByRole("link", { name: msg(lang, "common.signIn") })).toBeVisible();
    await shot(page, `public-404-${lang}`);
    await nav.getByRole("link", { name: msg(lang, "nav.docs") }).click();
    await expect(page).toHaveURL(at("/docs"));
    // The chrome's own loads (the favicon among them) all succeeded; only the unknown page was a 404.
    expect(failures.filter((f) => !f.startsWith("console: Failed to load resource: the server responded with a status of 404"))).toEqual([]);
    expect(failures.filter((f) => f.startsWith("console:"))).toHaveLength(1);
  });
}

test("the favicon and app icons are served", async ({ page }) => {
  for (const [path, type] of [
    ["/favicon.ico", "image/x-icon"],
    ["/icon.svg", "image/svg+xml"],
    ["/apple-icon.png", "image/png"],
  ] as const) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toContain(type);
  }
});

test("signing in from a protected page comes back to it, query included", async ({ page }) => {
  await ensureAccount(page, MEMBER);
  await page.context().clearCookies();
  const failures = watchFailures(page);
  await page.goto("/usage?x=1");
  await expect(page).toHaveURL(at("/sign-in?callbackUrl=%2Fusage%3Fx%3D1"));
  await signInWithForm(page, MEMBER);
  await expect(page).toHaveURL(at("/usage?x=1"));
  await expect(page.getByTestId("current-user")).toHaveText(MEMBER);
  expect(failures).toEqual([]);
});

test("signing in from an admin page comes back to it", async ({ page }) => {
  await ensureAdminAccount(page);
  await page.context().clearCookies();
  await page.goto("/admin/users");
  await expect(page).toHaveURL(at("/sign-in?callbackUrl=%2Fadmin%2Fusers"));
  await signInWithForm(page, ADMIN_EMAIL);
  await expect(page).toHaveURL(at("/admin/users"));
  await expect(page.getByTestId("current-user")).toHaveText(ADMIN_EMAIL);
});

test("a docs reader signs in, or signs up, and is back on the page they were reading", async ({ page }) => {
  await ensureAccount(page, MEMBER);
  await page.context().clearCookies();
  await page.goto("/docs/chat-completions");
  await page.getByTestId("account-links").getByRole("link", { name: en("common.signIn") }).click();
  await expect(page).toHaveURL(at("/sign-in?callbackUrl=%2Fdocs%2Fchat-completions"));
  await signInWithForm(page, MEMBER);
  await expect(page).toHaveURL(at("/docs/chat-completions"));
  // Signed in, the docs sit in the portal with the user's nav.
  await expect(page.getByTestId("current-user")).toHaveText(MEMBER);
  await expect(page.getByRole("navigation", { name: en("nav.label") }).getByRole("link", { name: en("nav.usage") })).toBeVisible();

  // The same link works when the docs link to it directly.
  await page.context().clearCookies();
  await page.goto("/sign-in?callbackUrl=/docs/chat-completions");
  await signInWithForm(page, MEMBER);
  await expect(page).toHaveURL(at("/docs/chat-completions"));

  await page.context().clearCookies();
  await page.goto("/docs/responses");
  await page.getByTestId("account-links").getByRole("link", { name: en("common.signUp") }).click();
  await expect(page).toHaveURL(at("/sign-up?callbackUrl=%2Fdocs%2Fresponses"));
  const newcomer = `newcomer-${Date.now()}@example.com`;
  await page.getByLabel(en("auth.fields.email")).fill(newcomer);
  await page.getByLabel(en("auth.fields.password")).fill(PASSWORD);
  await page.getByRole("button", { name: en("auth.signUp.submit") }).click();
  await expect(page).toHaveURL(at("/docs/responses"));
  await expect(page.getByTestId("current-user")).toHaveText(newcomer);
});

test("a page that fails shows the branded error page with the public header, and retry recovers", async ({ page }) => {
  await ensureAccount(page, MEMBER);
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await signInWithForm(page, MEMBER);
  await expect(page).toHaveURL(at("/dashboard"));

  // The e2e install's database (playwright.config.ts): its sessions table goes away for a moment.
  const sqlite = new Database(path.join(os.tmpdir(), `rootapi-e2e-${process.env.E2E_PORT || 3217}`, "rootapi.db"));
  sqlite.exec('ALTER TABLE "PortalSession" RENAME TO "PortalSessionGone"');
  try {
    const response = await page.goto("/keys");
    expect(response?.status()).toBe(500);
    await expect(page.getByRole("heading", { level: 1, name: en("errors.page.error.title") })).toBeVisible();
    await expect(page.getByText(/^Reference: \d+$/)).toBeVisible();
    await expect(page.getByRole("navigation", { name: en("nav.site") }).getByRole("link", { name: en("nav.docs") })).toBeVisible();
    await shot(page, "public-error");
  } finally {
    sqlite.exec('ALTER TABLE "PortalSessionGone" RENAME TO "PortalSession"');
    sqlite.close();
  }
  await page.getByRole("button", { name: en("errors.page.error.retry") }).click();
  await expect(page.getByTestId("current-user")).toHaveText(MEMBER);
});

test("notFound() inside the docs shows the same branded 404", async ({ page }) => {
  const response = await page.goto("/docs/no-such-endpoint");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: en("errors.page.notFound.title") })).toBeVisible();
  await expect(page.getByRole("navigation", { name: en("nav.site") }).getByRole("link", { name: en("nav.models") })).toBeVisible();
});
