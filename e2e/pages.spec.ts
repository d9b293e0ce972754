import AxeBuilder from "@axe-core/playwright";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { DOCS_ENDPOINTS } from "../lib/docs/reference";
import { findOverflows } from "./support/overflow";
import { LANGS, msg, shot, useLanguage, type Lang } from "./support/portal";
import { LONG_MODEL, prepareRealisticTour, type RealisticTour } from "./support/tour-data";

/**
 * A tour of every page in both languages at a phone, tablet, laptop and desktop width, on an install
 * holding realistic data (long key, model and channel names, CJK key names, 1,000 log rows — see
 * support/tour-data.ts). For each page: a full-page screenshot (e2e/artifacts/pages/<lang>-<width>-<page>.png),
 * no serious or critical accessibility violation (axe, WCAG 2 A/AA), nothing wider than the screen,
 * and no element whose content overflows it without scrolling (support/overflow.ts). Findings are
 * soft, so one run lists them all.
 */
const WIDTHS = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
] as const;

type Ids = RealisticTour["ids"];
type Visit = {
  name: string;
  path: string | ((ids: Ids) => string);
  signedIn: boolean;
  /** The page's HTTP status, when it is not 200. */
  status?: number;
  /** What a user does on the page before it is checked. */
  act?: (page: Page, lang: Lang) => Promise<void>;
};

/** The playground with the longest model id chosen (the settings are folded away on small screens). */
async function chooseLongModel(page: Page, lang: Lang) {
  const show = page.getByRole("button", { name: msg(lang, "playground.settings.show") });
  const folded = await show.isVisible();
  if (folded) await show.click();
  await page.locator("#pg-model").selectOption(LONG_MODEL);
  if (folded) await page.getByRole("button", { name: msg(lang, "playground.settings.hide") }).click();
  await expect(page.locator("#pg-conversation")).toContainText(LONG_MODEL);
}

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
  { name: "usage-filtered", path: (ids) => `/usage?model=${encodeURIComponent(LONG_MODEL)}&key=${ids.longKeyId}&status=ok`, signedIn: true },
  { name: "usage-request", path: (ids) => `/usage/requests/${ids.longModelRequestId}`, signedIn: true },
  { name: "billing", path: "/billing", signedIn: true },
  { name: "billing-history", path: "/billing/history", signedIn: true },
  // Without a Checkout session id the page says so (the paid flow is in billing.spec.ts).
  { name: "billing-success", path: "/billing/success", signedIn: true },
  { name: "playground", path: "/playground", signedIn: true },
  { name: "playground-long-model", path: "/playground", signedIn: true, act: chooseLongModel },
  { name: "account", path: "/account", signedIn: true },
  // Every docs page, read by a member (inside the portal) and by a visitor (public header, sign in or paste a key to try).
  ...["", ...DOCS_ENDPOINTS.map((e) => e.slug)].flatMap((slug): Visit[] => [true, false].map((signedIn) => ({
    name: `docs${slug ? `-${slug}` : ""}${signedIn ? "" : "-visitor"}`,
    path: `/docs${slug ? `/${slug}` : ""}`,
    signedIn,
  }))),
  { name: "admin", path: "/admin", signedIn: true },
  { name: "admin-channels", path: "/admin/channels", signedIn: true },
  { name: "admin-prices", path: "/admin/prices", signedIn: true },
  { name: "admin-users", path: "/admin/users", signedIn: true },
  { name: "admin-user", path: (ids) => `/admin/users/${ids.userId}`, signedIn: true },
  { name: "not-found", path: "/no-such-page", signedIn: false, status: 404 },
  { name: "not-found-signed-in", path: "/no-such-page", signedIn: true, status: 404 },
];

let tour: RealisticTour;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  tour = await prepareRealisticTour(browser);
  console.log(`page tour data: ${tour.seedMs} ms to seed`);
});

for (const lang of LANGS) {
  for (const size of WIDTHS) {
    test.describe(`${lang} at ${size.width}px`, () => {
      // One signed-in and one signed-out context per language and width, shared by its pages.
      const contexts: Partial<Record<"in" | "out", BrowserContext>> = {};

      test.beforeAll(async ({ browser, baseURL }) => {
        for (const signedIn of [true, false]) {
          const context = await browser.newContext({
            viewport: size,
            locale: lang === "zh" ? "zh-CN" : "en-US",
            storageState: signedIn ? tour.state : undefined,
          });
          await useLanguage(context, baseURL!, lang);
          contexts[signedIn ? "in" : "out"] = context;
        }
      });
      test.afterAll(async () => {
        await Promise.all(Object.values(contexts).map((c) => c.close()));
      });

      for (const visit of PAGES) {
        test(`${visit.name} in ${lang} at ${size.width}px`, async () => {
          const page = await contexts[visit.signedIn ? "in" : "out"]!.newPage();
          try {
            await check(page, lang, size.width, visit);
          } finally {
            await page.close();
          }
        });
      }
    });
  }
}

async function check(page: Page, lang: Lang, width: number, visit: Visit) {
  const path = typeof visit.path === "string" ? visit.path : visit.path(tour.ids);
  const where = `${lang} ${width}px ${path}`;
  const response = await page.goto(path);
  expect(response?.status(), `${path} status`).toBe(visit.status ?? 200);
  await expect(page.locator("html")).toHaveAttribute("lang", lang === "zh" ? "zh-CN" : "en");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  if (visit.signedIn) {
    await expect(page.getByRole("navigation", { name: msg(lang, "nav.label") }).getByRole("link", { name: msg(lang, "nav.overview") })).toBeVisible();
  }
  await page.waitForLoadState("networkidle");
  await visit.act?.(page, lang);
  await shot(page, `pages/${lang}-${width}-${visit.name}`);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect.soft(overflow, `${where} is wider than the screen`).toBeLessThanOrEqual(1);
  const overflows = (await findOverflows(page)).map((o) => `${where}: ${o.kind} by ${o.by}px ${o.selector} "${o.text}"`);
  expect.soft(overflows, `${where}: elements whose content does not fit`).toEqual([]);

  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect.soft(serious, `${where}: serious accessibility violations`).toEqual([]);
}
