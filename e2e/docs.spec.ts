import { expect, test, type Page } from "@playwright/test";
import path from "node:path";

const ARTIFACTS = path.join(__dirname, "artifacts");
const PASSWORD = "correct horse battery";
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
  await page.getByTestId("paste-key").fill(key);
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
