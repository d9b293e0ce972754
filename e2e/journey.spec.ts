import { expect, test } from "@playwright/test";
import { ADMIN_EMAIL, LANGS, PASSWORD, ensureAdminAccount, msg, shot, signInViaApi, type Lang } from "./support/portal";

/**
 * The whole journey a new user takes, once in each language — the language comes from the
 * browser's own setting (Accept-Language), never from a cookie: landing → sign up → a key → docs
 * "Try it" on the sandbox → a streamed playground answer → usage shows the calls and their cost →
 * the admin adds a channel and a price → a non-admin is refused the admin pages.
 */
for (const lang of LANGS) {
  test.describe(`journey in ${lang}`, () => {
    test.use({ locale: lang === "zh" ? "zh-CN" : "en-US" });
    const m = (key: string, args?: Record<string, string | number>) => msg(lang, key, args);
    const stamp = `${lang}-${Date.now()}`;
    const email = `journey-${stamp}@example.com`;

    test("a new user goes from the landing page to a streamed answer and its cost", async ({ page, baseURL }) => {
      // The first account administers the platform: make sure that is Alice, not our new user.
      await ensureAdminAccount(page);
      await page.context().clearCookies();

      await page.goto("/");
      await expect(page.locator("html")).toHaveAttribute("lang", lang === "zh" ? "zh-CN" : "en");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(m("landing.hero.title"));
      await shot(page, `journey/${lang}-1-landing`);
      await page.getByRole("link", { name: m("landing.hero.createAccount") }).click();

      await expect(page).toHaveURL(/\/sign-up/);
      await page.getByLabel(m("auth.fields.email")).fill(email);
      await page.getByLabel(m("auth.fields.password")).fill(PASSWORD);
      await page.getByRole("button", { name: m("auth.signUp.submit") }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await shot(page, `journey/${lang}-2-dashboard`);

      const nav = page.getByRole("navigation", { name: m("nav.label") });
      await nav.getByRole("link", { name: m("nav.keys") }).click();
      await page.getByLabel(m("keys.create.name")).fill("journey");
      await page.getByRole("button", { name: m("keys.create.submit") }).click();
      const created = page.getByRole("dialog", { name: m("keys.newKey.title") });
      await expect(created.getByTestId("new-api-key")).toHaveText(/^sk-[0-9A-Za-z]{43}$/);
      await shot(page, `journey/${lang}-3-key`);
      await created.getByRole("button", { name: m("keys.newKey.done") }).click();

      // Docs: run the prefilled sandbox request, streamed, and see its cost.
      await nav.getByRole("link", { name: m("nav.docs") }).click();
      await expect(page.getByRole("heading", { level: 1, name: m("docs.quickstart.title") })).toBeVisible();
      await expect(page.getByTestId("base-url")).toContainText(`${baseURL}/v1`);
      const tryIt = page.getByTestId("try-it");
      const body = tryIt.getByLabel(m("docs.tryIt.request"));
      await body.fill(JSON.stringify({ model: "sandbox-chat", stream: true, messages: [{ role: "user", content: `Docs ${lang}` }] }, null, 2));
      await tryIt.getByRole("button", { name: m("docs.tryIt.run") }).click();
      await expect(tryIt.getByTestId("try-it-text")).toContainText(`Docs ${lang}`);
      await expect(tryIt.getByTestId("try-it-status")).toHaveText("200");
      await expect(tryIt.getByTestId("try-it-cost")).toHaveText("$0.00", { timeout: 20_000 });
      await shot(page, `journey/${lang}-4-docs-try-it`);

      // Playground: a streamed answer with its tokens and cost.
      await nav.getByRole("link", { name: m("nav.playground") }).click();
      await expect(page.getByRole("heading", { level: 1, name: m("playground.page.title") })).toBeVisible();
      await page.getByLabel(m("playground.settings.model"), { exact: true }).selectOption("sandbox-chat");
      await page.getByLabel(m("playground.composer.label"), { exact: true }).fill(`Playground ${lang}`);
      await page.getByRole("button", { name: m("playground.composer.send") }).click();
      await expect(page.getByTestId("assistant-message").first()).toContainText(`Playground ${lang}`, { timeout: 20_000 });
      await expect(page.getByTestId("turn-usage").first().getByTestId("turn-cost")).toHaveText("$0.00", { timeout: 20_000 });
      await shot(page, `journey/${lang}-5-playground`);

      // Usage: both calls (docs and playground) with their cost.
      await nav.getByRole("link", { name: m("nav.usage") }).click();
      await expect(page.getByRole("heading", { level: 1, name: m("usage.page.title") })).toBeVisible();
      await expect(page.getByTestId("usage-requests")).toContainText("2");
      await expect(page.getByTestId("usage-spend")).toContainText("$0.00");
      await expect(page.getByTestId("request-row")).toHaveCount(2);
      await expect(page.getByTestId("request-row").first()).toContainText("sandbox-chat");
      await shot(page, `journey/${lang}-6-usage`);

      // Not an administrator: the admin console refuses.
      await expect(nav.getByRole("link", { name: m("nav.admin") })).toHaveCount(0);
      await page.goto("/admin/channels");
      await expect(page.getByRole("heading", { name: m("admin.forbidden.title") })).toBeVisible();
      await shot(page, `journey/${lang}-7-admin-refused`);
    });

    test("the administrator adds a channel and prices its model", async ({ page }) => {
      await ensureAdminAccount(page);
      await signInViaApi(page, ADMIN_EMAIL);
      const model = `journey-${stamp}`;

      await page.goto("/admin/channels");
      await page.getByRole("button", { name: m("admin.channels.add") }).click();
      const add = page.getByRole("dialog", { name: m("admin.channels.addTitle") });
      await add.getByLabel(m("admin.channels.form.name"), { exact: true }).fill(`channel-${stamp}`);
      await add.getByLabel(m("admin.channels.form.type")).selectOption("sandbox");
      await add.getByLabel(m("admin.channels.form.models"), { exact: true }).fill(model);
      await add.getByRole("button", { name: m("admin.channels.form.add") }).click();
      await expect(page.getByText(m("admin.channels.addedNotice", { name: `channel-${stamp}` }))).toBeVisible();
      await shot(page, `journey/${lang}-8-admin-channel`);

      await page.goto("/admin/prices");
      await page.getByRole("button", { name: m("admin.prices.addFor", { model }) }).click();
      const price = page.getByRole("dialog", { name: m("admin.prices.addTitle") });
      await price.getByLabel(m("admin.prices.form.input")).fill("0.5");
      await price.getByLabel(m("admin.prices.form.output")).fill("1.5");
      await price.getByRole("button", { name: m("admin.prices.form.add") }).click();
      await expect(page.getByText(m("admin.prices.savedNotice", { model }))).toBeVisible();
      await shot(page, `journey/${lang}-9-admin-price`);

      // The priced model is now public, at its price.
      await page.goto("/models");
      await expect(page.getByRole("row").filter({ hasText: model })).toContainText("$0.50");
    });
  });
}

test("the language can be switched and is remembered", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel(msg("en", "common.language")).selectOption("zh");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("button", { name: msg("zh", "auth.signIn.submit") })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: msg("zh", "auth.signIn.submit") })).toBeVisible();
  await page.getByLabel(msg("zh", "common.language")).selectOption("en");
  await expect(page.getByRole("button", { name: msg("en", "auth.signIn.submit") })).toBeVisible();
});

