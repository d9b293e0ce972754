import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { ARTIFACTS, PASSWORD, pasteDocsKey } from "./support/portal";

const email = `reader-${Date.now()}@example.com`;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `docs-${name}.png`), fullPage: true });
}

async function signUp(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test.describe.configure({ mode: "serial" });

test("docs: quickstart with the base URL, try it streaming on the sandbox with its cost, keyboard tabs, reference, Chinese, phone", async ({ page, baseURL }) => {
  await signUp(page);
  const made = await page.request.post("/api/keys", { data: { name: "Docs key" } });
  expect(made.status()).toBe(201);
  const { key, data } = (await made.json()) as { key: string; data: { prefix: string } };
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Docs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Quickstart" })).toBeVisible();
  await expect(page.getByTestId("base-url")).toContainText(`${baseURL}/v1`);
  await shot(page, "quickstart");

  // Try it: invalid JSON is explained, not a crash.
  const tryIt = page.getByTestId("try-it");
  const body = tryIt.getByLabel("Request body (JSON)");
  await body.fill('{"model": "sandbox-chat",');
  await tryIt.getByRole("button", { name: "Run" }).click();
  await expect(tryIt.getByTestId("try-it-input-error")).toContainText("not valid JSON");

  // A streamed sandbox answer renders while it arrives, then its cost and tokens.
  await body.fill(JSON.stringify({ model: "sandbox-chat", stream: true, messages: [{ role: "user", content: "Hello from the docs [sandbox:delay=60]" }] }, null, 2));
  await tryIt.getByRole("button", { name: "Run" }).click();
  const text = tryIt.getByTestId("try-it-text");
  await expect(text).toContainText("You said:");
  const partial = (await text.textContent()) ?? "";
  await expect(tryIt.getByTestId("try-it-cost")).toHaveText("$0.00", { timeout: 20_000 });
  const final = (await text.textContent()) ?? "";
  expect(final).toContain('You said: "Hello from the docs');
  expect(partial.length).toBeLessThan(final.length);
  await expect(tryIt.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryIt.getByTestId("try-it-request-id")).toHaveText(/^req_/);
  await expect(tryIt.getByTestId("try-it-tokens")).toContainText(/\d+ tokens? in · \d+ tokens? out/);
  await expect(tryIt.getByTestId("try-it-response")).toContainText("chat.completion.chunk");
  await expect(tryIt.getByTestId("try-it-response")).toContainText("data: [DONE]");
  await shot(page, "try-it");

  // The code tabs work with the keyboard (arrows, Home, End) and show the user's base URL.
  const tabs = page.getByTestId("code-tabs").first();
  const curl = tabs.getByRole("tab", { name: "curl" });
  await curl.focus();
  await expect(curl).toHaveAttribute("aria-selected", "true");
  await expect(tabs.getByRole("tabpanel")).toContainText(`${baseURL}/v1/chat/completions`);
  await page.keyboard.press("ArrowRight");
  const python = tabs.getByRole("tab", { name: "Python" });
  await expect(python).toBeFocused();
  await expect(python).toHaveAttribute("aria-selected", "true");
  await expect(tabs.getByRole("tabpanel")).toContainText("from openai import OpenAI");
  await page.keyboard.press("End");
  await expect(tabs.getByRole("tab", { name: "Vercel AI SDK" })).toBeFocused();
  await expect(tabs.getByRole("tabpanel")).toContainText("@ai-sdk/openai");
  await page.keyboard.press("ArrowRight");
  await expect(curl).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(tabs.getByRole("tab", { name: "Vercel AI SDK" })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Home");
  await expect(curl).toHaveAttribute("aria-selected", "true");
  await expect(tabs.getByRole("tab", { selected: true })).toHaveCount(1);

  // The key picker lists the user's keys by name and prefix; the snippets name the chosen one.
  await page.getByLabel("Key in the examples").selectOption({ label: `Docs key (${data.prefix})` });
  await expect(tabs.getByRole("tabpanel")).toContainText(`Bearer ${data.prefix}`);
  // A pasted key goes into the snippets and can run "Try it" straight against /v1 — and is stored nowhere.
  await pasteDocsKey(page, key);
  await expect(tabs.getByRole("tabpanel")).toContainText(`Bearer ${key}`);
  await tryIt.getByLabel("Key").selectOption("pasted");
  await body.fill(JSON.stringify({ model: "sandbox-chat", messages: [{ role: "user", content: "With my own key" }] }));
  await tryIt.getByRole("button", { name: "Run" }).click();
  await expect(tryIt.getByTestId("try-it-response")).toContainText("With my own key");
  await expect(tryIt.getByTestId("try-it-response")).toContainText("chat.completion");
  await expect(tryIt.getByTestId("try-it-cost")).toHaveText("$0.00", { timeout: 20_000 });
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(key);

  // The reference: a page per endpoint from the side nav, parameters from the schema.
  await page.getByRole("navigation", { name: "Documentation" }).getByRole("link", { name: "Create response" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create response" })).toBeVisible();
  await expect(page.getByTestId("endpoint-url")).toContainText(`${baseURL}/v1/responses`);
  await expect(page.locator('[data-param="previous_response_id"]')).toBeVisible();
  // The pasted key survived the move between docs pages (memory only).
  await expect(page.getByTestId("code-tabs").getByRole("tabpanel")).toContainText(key);
  await shot(page, "reference");

  // Try it on the Responses API (the Playground key), then retrieve that very response on its page.
  const tryResponses = page.getByTestId("try-it");
  await tryResponses.getByLabel("Key").selectOption("playground");
  await tryResponses.getByRole("button", { name: "Run" }).click();
  await expect(tryResponses.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryResponses.getByTestId("try-it-cost")).toHaveText("$0.00", { timeout: 20_000 });
  const created = /"id": "(resp_[A-Za-z0-9]+)"/.exec((await tryResponses.getByTestId("try-it-response").textContent()) ?? "")![1]!;
  await page.getByRole("navigation", { name: "Documentation" }).getByRole("link", { name: "Retrieve response" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Retrieve response" })).toBeVisible();
  await expect(page.getByTestId("try-it-path")).toHaveValue(`/v1/responses/${created}`);
  await page.getByTestId("try-it").getByRole("button", { name: "Run" }).click();
  await expect(page.getByTestId("try-it-status")).toHaveText("200");
  await expect(page.getByTestId("try-it-response")).toContainText(created);

  // Chinese.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL! }]);
  await page.goto("/docs");
  await expect(page.getByRole("heading", { level: 1, name: "快速开始" })).toBeVisible();
  await expect(page.getByTestId("try-it").getByRole("button", { name: "运行" })).toBeVisible();
  await shot(page, "quickstart-zh");
  await page.goto("/docs/chat-completions");
  await expect(page.getByRole("heading", { level: 1, name: "创建对话补全" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "说明" })).toBeVisible();
  await shot(page, "reference-zh");
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);

  // A phone: the side nav becomes a select, nothing overflows sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/docs/chat-completions");
  await page.getByLabel("Go to page").selectOption("/docs/models");
  await expect(page.getByRole("heading", { level: 1, name: "List models" })).toBeVisible();
  const tryModels = page.getByTestId("try-it");
  await tryModels.getByRole("button", { name: "Run" }).click();
  await expect(tryModels.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryModels.getByTestId("try-it-response")).toContainText("sandbox-chat");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await shot(page, "phone");
});

const WIDTHS = [375, 768, 1280, 1440];
const DOCS_PAGES = ["/docs", "/docs/chat-completions", "/docs/responses", "/docs/responses-input-items", "/docs/messages", "/docs/messages-count-tokens", "/docs/models", "/docs/billing-usage"];

/** Every element wider than its box without being a scroll container: content cut off or spilling out. */
function overflowingElements(page: Page) {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const overflowX = getComputedStyle(el).overflowX;
      if (overflowX === "auto" || overflowX === "scroll" || overflowX === "hidden") continue;
      if (el.scrollWidth > el.clientWidth + 1) bad.push(`${el.tagName.toLowerCase()}.${String(el.getAttribute("class") ?? "").slice(0, 60)} ${el.scrollWidth}>${el.clientWidth}`);
    }
    return bad;
  });
}

/** The docs' buttons whose label wraps onto a second line (a word broken inside a button). */
function wrappedButtons(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("main button"))
      .filter((button) => (button as HTMLElement).offsetParent !== null && button.textContent!.trim())
      .filter((button) => {
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size > 1;
      })
      .map((button) => button.textContent!.trim()),
  );
}

test("docs layout: nothing overflows or is clipped at 375–1440 px, parameter tables fit their card, the nav shows whole paths", async ({ page }) => {
  // 2 languages × 4 widths × 8 pages.
  test.setTimeout(300_000);
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`layout-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  for (const locale of ["en", "zh"]) {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of DOCS_PAGES) {
        await page.goto(path);
        await expect(page.getByTestId("key-picker")).toBeVisible();
        expect(await overflowingElements(page), `${locale} ${width} ${path}`).toEqual([]);
        expect(await wrappedButtons(page), `${locale} ${width} ${path}`).toEqual([]);

        const table = page.getByTestId("param-table");
        if (await table.count()) {
          // The whole table fits its card: nothing cut at the edge, no sideways scrolling.
          const fit = await page.getByTestId("param-table-card").evaluate((card) => ({ scroll: card.scrollWidth, client: card.clientWidth }));
          expect(fit.scroll, `${locale} ${width} ${path}`).toBeLessThanOrEqual(fit.client + 1);
          // A card narrower than 42rem stacks its rows; a wider one is a table.
          const tableMode = await table.locator("thead").isVisible();
          expect(tableMode, `${locale} ${width} ${path}`).toBe(width >= 1280);
          if (tableMode) {
            // Names take their natural width; descriptions the rest.
            const columns = await table.evaluate((t) => {
              const name = t.querySelector("thead th")!.getBoundingClientRect().width;
              const description = t.querySelectorAll("thead th")[1]!.getBoundingClientRect().width;
              // The widest line of text in the name cells (text boxes, not the block boxes around them).
              const widest = Math.max(
                ...Array.from(t.querySelectorAll('[data-testid="param-name"]')).map((cell) => {
                  const left = cell.getBoundingClientRect().left + parseFloat(getComputedStyle(cell).paddingLeft);
                  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                  let right = left;
                  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const range = document.createRange();
                    range.selectNodeContents(node);
                    for (const rect of Array.from(range.getClientRects())) right = Math.max(right, rect.right);
                  }
                  return right - left;
                }),
              );
              return { name, description, widest };
            });
            // Padding (24 px) and the required badge's own padding (12 px) beside the text.
            expect(columns.name, `${locale} ${width} ${path}`).toBeLessThanOrEqual(columns.widest + 24 + 12 + 2);
            expect(columns.description, `${locale} ${width} ${path}`).toBeGreaterThan(columns.name);
          }
        }

        // The side nav (wide screens) names every endpoint's whole path, none cut.
        if (width >= 1024) {
          const paths = page.getByTestId("docs-nav-path");
          await expect(paths).toHaveCount(12);
          const clipped = await paths.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1 || el.closest("li")!.scrollWidth > el.closest("li")!.clientWidth + 1).length);
          expect(clipped).toBe(0);
          await expect(paths.filter({ hasText: "/v1/responses/{response_id}/input_items" })).toBeVisible();
          await expect(paths.filter({ hasText: "/v1/dashboard/billing/subscription" })).toBeVisible();
        }
      }
    }
  }
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: page.url() }]);

  // The chat-completions page at 1280 px: descriptions get the room, so the page is short.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/docs/chat-completions");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const table = await page.getByTestId("param-table").evaluate((t) => t.getBoundingClientRect().height);
  console.log(`chat-completions at 1280 px: page ${height}px, parameter table ${Math.round(table)}px`);
  // With descriptions squeezed into a narrow column the table alone was ~2,500 px and the page ~6,100.
  expect(table).toBeLessThan(1800);
  expect(height).toBeLessThan(6000);
  await shot(page, "params-1280");
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/docs/chat-completions");
  await shot(page, "params-375");
});

test("docs for a user with no keys: every page has the key picker with a paste field, and Try it runs with the pasted key", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`nokeys-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/docs/models");
  const picker = page.getByTestId("key-picker");
  await expect(picker).toContainText("You have no active keys yet");
  // The key is made after the page loaded: the picker still lists none, only pasting can use it.
  const made = await page.request.post("/api/keys", { data: { name: "Pasted" } });
  const { key } = (await made.json()) as { key: string };
  await pasteDocsKey(page, key);
  await expect(page.getByTestId("code-tabs").getByRole("tabpanel")).toContainText(`Bearer ${key}`);
  const tryIt = page.getByTestId("try-it");
  await tryIt.getByLabel("Key").selectOption("pasted");
  const sent: string[] = [];
  page.on("request", (request) => sent.push(`${request.method()} ${new URL(request.url()).pathname} ${request.headers()["authorization"] ?? ""}`));
  await tryIt.getByRole("button", { name: "Run" }).click();
  await expect(tryIt.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryIt.getByTestId("try-it-response")).toContainText("sandbox-chat");
  // The pasted key went only to the user's own /v1 call, and is stored nowhere.
  expect(sent.filter((line) => line.includes(key))).toEqual([`GET /v1/models Bearer ${key}`]);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(key);

  // Errors: only those the endpoint can give — no 402 on a lookup.
  const rows = page.getByTestId("error-row");
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("error-table")).not.toContainText("402");
  await expect(page.getByTestId("example-error")).toContainText("invalid_api_key");
  await page.goto("/docs/chat-completions");
  await expect(page.getByTestId("error-row").filter({ hasText: "insufficient_quota" })).toHaveCount(1);
  await shot(page, "no-keys");
});

test("docs for a visitor: read without an account, sign in back to the page, or Try it with a pasted key", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // Until the docs are public (they move out of the signed-in layout), a visitor is sent to sign in.
  const probe = await page.request.get("/docs/models", { maxRedirects: 0 });
  test.skip(probe.status() !== 200, "the docs are not public in this build");

  await page.goto("/docs/models");
  const picker = page.getByTestId("key-picker");
  await expect(picker.getByTestId("key-picker-visitor")).toBeVisible();
  await expect(picker.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in?callbackUrl=%2Fdocs%2Fmodels");
  const tryIt = page.getByTestId("try-it");
  await expect(tryIt.getByTestId("try-it-visitor")).toBeVisible();
  await expect(tryIt.getByTestId("try-it-run")).toBeDisabled();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of DOCS_PAGES) {
      await page.goto(path);
      expect(await overflowingElements(page), `visitor ${width} ${path}`).toEqual([]);
    }
  }

  // A key made by someone with an account, pasted by the visitor.
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await ownerPage.goto(`${new URL(page.url()).origin}/sign-up`);
  await ownerPage.getByLabel("Email").fill(`owner-${Date.now()}@example.com`);
  await ownerPage.getByLabel("Password").fill(PASSWORD);
  await ownerPage.getByRole("button", { name: "Create account" }).click();
  await expect(ownerPage).toHaveURL(/\/dashboard$/);
  const { key } = (await (await ownerPage.request.post("/api/keys", { data: { name: "For a visitor" } })).json()) as { key: string };
  await owner.close();

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/docs/models");
  await pasteDocsKey(page, key);
  await expect(page.getByTestId("try-it-run")).toBeEnabled();
  await page.getByTestId("try-it-run").click();
  await expect(page.getByTestId("try-it-status")).toHaveText("200");
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(key);

  // Signing in comes back to the page read.
  await page.getByTestId("key-picker").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdocs%2Fmodels$/);
});
