import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { LANGS, msg, prepareAdminTour, shot, useLanguage, type AdminTour, type Lang } from "./support/portal";

/**
 * A tour of every page in both languages on a desktop and a phone: a screenshot of each
 * (e2e/artifacts/pages/<lang>-<viewport>-<page>.png), no serious accessibility violation (axe, WCAG 2 A/AA),
 * and nothing wider than a phone's screen.
 */
const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

type Visit = { name: string; path: string | ((ids: Ids) => string); signedIn: boolean };
type Ids = AdminTour["ids"];

const PAGES: Visit[] = [
  { name: "landing", path: "/", signedIn: false },
  { name: "models", path: "/models", signedIn: false },
  { name: "sign-in", path: "/sign-in", signedIn: false },
  { name: "sign-up", path: "/sign-up", signedIn: false },
  { name: "forgot-password", path: "/forgot-password", signedIn: false },
  // An unknown token shows the page's "invalid link" state (a valid one is in accounts.spec.ts).
  { name: "reset-password", path: "/reset-password?token=not-a-real-token-0000000000", signedIn: false },
  { name: "verify-email", path: "/verify-email?token=not-a-real-token-0000000000", signedIn: false },
  { name: "dashboard", path: "/dashboard", signedIn: true },
  { name: "keys", path: "/keys", signedIn: true },
  { name: "usage", path: "/usage", signedIn: true },
  { name: "usage-request", path: (ids) => `/usage/requests/${ids.requestId}`, signedIn: true },
  { name: "billing", path: "/billing", signedIn: true },
  { name: "billing-history", path: "/billing/history", signedIn: true },
  { name: "playground", path: "/playground", signedIn: true },
  { name: "docs", path: "/docs", signedIn: true },
  { name: "account", path: "/account", signedIn: true },
  { name: "docs-chat-completions", path: "/docs/chat-completions", signedIn: true },
  { name: "docs-responses", path: "/docs/responses", signedIn: true },
  { name: "docs-messages", path: "/docs/messages", signedIn: true },
  { name: "docs-models", path: "/docs/models", signedIn: true },
  { name: "admin", path: "/admin", signedIn: true },
  { name: "admin-channels", path: "/admin/channels", signedIn: true },
  { name: "admin-prices", path: "/admin/prices", signedIn: true },
  { name: "admin-users", path: "/admin/users", signedIn: true },
  { name: "admin-user", path: (ids) => `/admin/users/${ids.userId}`, signedIn: true },
];

async function expectAccessible(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect.soft(serious).toEqual([]);
}

async function expectFitsWidth(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect.soft(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(1);
}

let ids: AdminTour["ids"];
let adminState: AdminTour["state"];

test.beforeAll(async ({ browser }) => {
  ({ ids, state: adminState } = await prepareAdminTour(browser));
});

for (const lang of LANGS) {
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    for (const visit of PAGES) {
      test(`${visit.name} in ${lang} on a ${viewport}`, async ({ browser, baseURL }) => {
        const context = await browser.newContext({
          viewport: size,
          locale: lang === "zh" ? "zh-CN" : "en-US",
          storageState: visit.signedIn ? adminState : undefined,
        });
        await useLanguage(context, baseURL!, lang);
        const page = await context.newPage();
        await tour(page, lang, viewport, visit);
        await context.close();
      });
    }
  }
}

async function tour(page: Page, lang: Lang, viewport: string, visit: Visit) {
  const path = typeof visit.path === "string" ? visit.path : visit.path(ids);
  const response = await page.goto(path);
  expect(response?.status(), `${path} status`).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", lang === "zh" ? "zh-CN" : "en");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  if (visit.signedIn) {
    await expect(page.getByRole("navigation", { name: msg(lang, "nav.label") }).getByRole("link", { name: msg(lang, "nav.overview") })).toBeVisible();
  }
  await page.waitForLoadState("networkidle");
  await shot(page, `pages/${lang}-${viewport}-${visit.name}`);
  await expectAccessible(page, `${lang}/${viewport}${path}`);
  if (viewport === "phone") await expectFitsWidth(page, `${lang}${path}`);
}
