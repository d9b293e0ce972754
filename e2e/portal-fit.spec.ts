import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { LANGS, msg, signInAsAdmin, useLanguage, type Lang } from "./support/portal";

/**
 * The signed-in pages with realistic data — 64-character key names, long model ids, hundreds of
 * log rows — at phone, tablet, laptop and desktop widths in both languages: no element is wider
 * than its box unless that box scrolls (tables scroll inside their card, first column kept), and
 * the tables a newcomer reads first fit a laptop screen whole.
 */
const WIDTHS = [375, 768, 1280, 1440] as const;
const LONG_MODEL = "accounts/fireworks/models/llama-v3p1-405b-instruct-long-context";
/** Never served by any channel (whatever other specs set up on the shared server): its one call is a 404. */
const UNSERVED_MODEL = `${LONG_MODEL}-unserved`;
const LONG_KEY = `production backend for the analytics pipeline team ${"x".repeat(12)}`;
const PAGES = ["/dashboard", "/keys", "/usage", "/usage/requests/{id}", "/billing", "/billing/history", "/account", "/admin", "/admin/channels", "/admin/prices", "/admin/users", "/admin/users/{user}"];

let state: Awaited<ReturnType<BrowserContext["storageState"]>>;
let ids: { id: string; user: string };

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsAdmin(page);
  const created = await page.request.post("/api/keys", { data: { name: LONG_KEY, budgetUsd: "25", budgetPeriod: "MONTHLY", rpmLimit: 600, allowedModels: ["sandbox-chat", LONG_MODEL, UNSERVED_MODEL] } });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  const call = (model: string) =>
    page.request.post("/v1/chat/completions", { headers: { authorization: `Bearer ${key}` }, data: { model, messages: [{ role: "user", content: "fit" }] } });
  for (let i = 0; i < 150; i++) await call("sandbox-chat");
  const failed = await call(UNSERVED_MODEL);
  expect(failed.status()).toBe(404);
  const channel = await page.request.post("/api/admin/channels", { data: { name: LONG_KEY, type: "sandbox", models: [LONG_MODEL] } });
  expect([201, 409]).toContain(channel.status());
  const price = await page.request.post("/api/admin/prices", { data: { model: LONG_MODEL, inputUsd: "3", outputUsd: "3" } });
  expect([201, 409]).toContain(price.status());
  const users = (await (await page.request.get("/api/admin/users?q=operator")).json()) as { data: { id: string }[] };
  ids = { id: failed.headers()["x-request-id"]!, user: users.data[0]!.id };
  state = await context.storageState();
  await context.close();
});

async function open(browser: Browser, baseURL: string, lang: Lang, width: number): Promise<Page> {
  const context = await browser.newContext({ storageState: state, viewport: { width, height: 900 } });
  await useLanguage(context, baseURL, lang);
  return context.newPage();
}

/** Elements wider than their box that do not scroll: clipped or spilling content. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *:not(script):not(style)")]
      .filter((el) => {
        const style = getComputedStyle(el);
        return el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && (style.overflowX === "visible" || style.overflowX === "clip");
      })
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute("class")}"> ${el.scrollWidth} > ${el.clientWidth}: ${(el.textContent ?? "").slice(0, 60)}`),
  );
}

async function within(inner: Locator, outer: Locator) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  expect(a && b).toBeTruthy();
  expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x + b!.width + 1);
  expect(a!.x).toBeGreaterThanOrEqual(b!.x - 1);
}

for (const lang of LANGS) {
  test(`nothing spills out of its box on the signed-in pages in ${lang}`, async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    for (const width of WIDTHS) {
      const page = await open(browser, baseURL!, lang, width);
      for (const path of PAGES) {
        await page.goto(path.replace("{id}", ids.id).replace("{user}", ids.user));
        await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
        expect.soft(await overflowing(page), `${lang} ${width}px ${path}`).toEqual([]);
      }
      await page.context().close();
    }
  });

  test(`the keys table and the request log fit a laptop screen whole in ${lang}`, async ({ browser, baseURL }) => {
    for (const width of [1280, 1440]) {
      const page = await open(browser, baseURL!, lang, width);
      await page.goto("/keys");
      const keys = page.getByRole("region", { name: msg(lang, "keys.table.label") });
      const row = page.getByTestId("key-row").filter({ hasText: LONG_KEY });
      await within(row.getByRole("button", { name: msg(lang, "keys.table.revokeLabel", { name: LONG_KEY }) }), keys);
      await within(row.getByText(msg(lang, "keys.table.statuses.active"), { exact: true }), keys);
      // Badges and buttons keep their words whole: one line each.
      for (const label of [row.getByRole("button", { name: msg(lang, "keys.table.revokeLabel", { name: LONG_KEY }) }), row.getByText(msg(lang, "keys.table.statuses.active"), { exact: true })]) {
        expect((await label.boundingBox())!.height).toBeLessThan(36);
      }

      await page.goto("/usage");
      const log = page.getByRole("region", { name: msg(lang, "usage.log.title") });
      await within(log.getByRole("columnheader", { name: msg(lang, "usage.log.columns.ttfb") }), log);
      await within(page.getByRole("link", { name: msg(lang, "usage.filters.exportCsv") }), page.getByRole("form", { name: msg(lang, "usage.filters.label") }));
      const exportHeight = (await page.getByRole("link", { name: msg(lang, "usage.filters.exportCsv") }).boundingBox())!;
      const applyBox = (await page.getByRole("button", { name: msg(lang, "usage.filters.apply") }).boundingBox())!;
      // "Export CSV" sits beside "Apply", on one line.
      expect(Math.abs(exportHeight.y - applyBox.y)).toBeLessThan(2);
      await page.context().close();
    }
  });

  test(`a wide table scrolls inside its card on a phone and keeps its first column in view in ${lang}`, async ({ browser, baseURL }) => {
    const page = await open(browser, baseURL!, lang, 375);
    await page.goto("/usage");
    const log = page.getByRole("region", { name: msg(lang, "usage.log.title") });
    const first = page.getByTestId("request-row").first().locator("td").first();
    const before = (await first.boundingBox())!.x;
    await log.evaluate((el) => el.scrollBy({ left: 400 }));
    expect(await log.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
    expect(Math.abs((await first.boundingBox())!.x - before)).toBeLessThan(1);
    await within(log, page.locator("main"));
    await page.context().close();
  });
}

test("the request detail leads with the id the API returned, and copies it", async ({ browser, baseURL }) => {
  const page = await open(browser, baseURL!, "en", 1280);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`/usage/requests/${ids.id}`);
  await expect(page.getByTestId("request-id")).toHaveText(ids.id);
  await page.getByRole("button", { name: msg("en", "usage.detail.copyId") }).click();
  await expect(page.getByRole("button", { name: msg("en", "common.copied") })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ids.id);
  await page.context().close();
});

test("admin actions have one style per kind: neutral ones alike, destructive ones alike and different", async ({ browser, baseURL }) => {
  const page = await open(browser, baseURL!, "en", 1440);
  const background = (button: Locator) => button.evaluate((el) => getComputedStyle(el).backgroundColor);
  const styles = async (neutral: Locator[], destructive: Locator[]) => ({
    neutral: new Set(await Promise.all(neutral.map(background))),
    destructive: new Set(await Promise.all(destructive.map(background))),
  });
  const expectTwoStyles = ({ neutral, destructive }: { neutral: Set<string>; destructive: Set<string> }) => {
    expect(neutral.size).toBe(1);
    expect(destructive.size).toBe(1);
    expect([...neutral][0]).not.toBe([...destructive][0]);
  };

  await page.goto("/admin/channels");
  const channel = page.getByRole("row").filter({ hasText: LONG_KEY });
  const named = (name: string) => channel.getByRole("button", { name: `${name} ${LONG_KEY}` });
  expectTwoStyles(await styles([named("Test"), named("Edit")], [named("Disable"), named("Delete")]));

  await page.goto("/admin/prices");
  const price = page.getByRole("row").filter({ hasText: LONG_MODEL });
  expectTwoStyles(await styles([price.getByRole("button", { name: /^Edit/ })], [price.getByRole("button", { name: /^Delete/ })]));

  await page.goto(`/admin/users/${ids.user}`);
  const actions = page.getByRole("main");
  expectTwoStyles(await styles([actions.getByRole("button", { name: /^Credit/ })], [actions.getByRole("button", { name: /^Disable/ })]));
  await page.context().close();
});

test("the overview's chart has a y-axis, values on its bars and a table of them", async ({ browser, baseURL }) => {
  const page = await open(browser, baseURL!, "en", 1280);
  await page.goto("/dashboard");
  const chart = page.getByTestId("day-chart");
  await expect(chart.getByTestId("chart-tick").first()).toContainText("0");
  expect(await chart.getByTestId("chart-tick").count()).toBeGreaterThanOrEqual(3);
  // Every day can be pointed at for its value, a day with nothing (no bar to hover) too.
  const days = chart.getByTestId("chart-day");
  await expect(days).toHaveCount(7);
  for (const day of await days.all()) {
    expect((await day.boundingBox())!.height).toBeGreaterThan(150);
    expect(await day.getAttribute("title")).toMatch(/: [\d,]+ requests?, \$/);
  }
  // Six days ago nothing was called on this fresh install: no bar, and still its value on hover.
  await expect(days.first()).toHaveAttribute("title", /: 0 requests, \$0\.00$/);
  await page.getByText(msg("en", "usage.chart.showTable")).click();
  const table = page.getByTestId("day-chart-table");
  await expect(table.getByRole("columnheader", { name: msg("en", "usage.chart.requests") })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(8);
  await page.context().close();
});

for (const lang of LANGS) {
  test(`the playground's key reads as a short label whose explanation is its accessible description in ${lang}`, async ({ browser, baseURL }) => {
    const page = await open(browser, baseURL!, lang, 1280);
    // The first playground turn creates the playground's own key.
    const turn = await page.request.post("/api/playground/chat", {
      data: { messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "fit" }] }], model: "sandbox-chat", stream: false, api: "chat" },
    });
    expect(turn.status()).toBe(200);
    await page.goto("/keys");
    const row = page.locator('[data-testid="key-row"][data-playground="true"]');
    await expect(row.getByText(msg(lang, "keys.table.playgroundBadge"), { exact: true })).toBeVisible();
    await expect(row.getByRole("rowheader")).toHaveAccessibleDescription(new RegExp(msg(lang, "keys.table.playgroundNote").slice(0, 12)));
    // As tall as a row without a note: name, prefix and padding.
    expect((await row.boundingBox())!.height).toBeLessThan(90);
    await page.context().close();
  });
}
