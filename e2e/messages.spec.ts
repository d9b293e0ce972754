import { expect, test, type Page } from "@playwright/test";
import { LANGS, msg, pasteDocsKey, shot, signInAsAdmin, signInAsNewUser, useLanguage } from "./support/portal";

/**
 * Anthropic's Messages API in the portal: its docs page (both languages, desktop and phone, nothing
 * clipped), an `anthropic` channel made in the admin console without a base URL, the playground's
 * Messages mode and the docs' "Try it" on /v1/messages (these two call the real endpoint).
 */
test.describe.configure({ mode: "serial" });

/** Elements that hide what does not fit (overflow hidden or clip, no ellipsis on purpose) and cut something off. */
async function clippedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>("main *")) {
      const style = getComputedStyle(element);
      const hides = style.overflowX === "hidden" || style.overflowX === "clip";
      if (!hides || style.textOverflow === "ellipsis" || element.clientWidth <= 1) continue;
      if (element.scrollWidth > element.clientWidth + 1) cut.push(`${element.tagName.toLowerCase()}[data-testid=${element.dataset.testid ?? ""}] ${element.scrollWidth}>${element.clientWidth}`);
    }
    return cut;
  });
}

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

test("the Messages docs page renders in English and Chinese, on a desktop and a phone, without clipping", async ({ page, baseURL }) => {
  await signInAsNewUser(page, `messages-docs-${Date.now()}@example.com`);
  for (const lang of LANGS) {
    await useLanguage(page.context(), baseURL!, lang);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const response = await page.goto("/docs/messages");
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1, name: msg(lang, "docs.endpoints.messages.name") })).toBeVisible();
      await expect(page.getByTestId("endpoint-url")).toContainText(`${baseURL}/v1/messages`);
      await expect(page.locator('[data-testid="param-row"][data-param="max_tokens"]')).toBeVisible();
      await expect(page.getByTestId("error-row")).toHaveCount(12);
      await expect(page.locator('[data-testid="error-row"][data-status="529"]')).toContainText("overloaded_error");
      const claude = page.getByTestId("claude-code");
      await expect(claude).toContainText(`export ANTHROPIC_BASE_URL=${baseURL}`);
      await expect(claude).not.toContainText(`${baseURL}/v1`);
      await expect(claude).toContainText("claude --model sandbox-chat");
      await expect(page.getByRole("heading", { level: 2, name: msg(lang, "docs.claudeCode.title") })).toBeVisible();
      // The SDK tabs: Anthropic's clients with the origin as base URL.
      const tabs = page.getByTestId("code-tabs");
      await tabs.getByRole("tab", { name: msg(lang, "docs.code.python") }).click();
      await expect(tabs.getByRole("tabpanel")).toContainText(`anthropic.Anthropic(base_url="${baseURL}"`);
      await tabs.getByRole("tab", { name: msg(lang, "docs.code.node") }).click();
      await expect(tabs.getByRole("tabpanel")).toContainText(`new Anthropic({ baseURL: "${baseURL}"`);
      await shot(page, `messages-docs-${lang}-${viewport.name}`);

      expect(await clippedElements(page), `${lang} ${viewport.name}`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${lang} ${viewport.name} is wider than the screen`).toBeLessThanOrEqual(1);
    }
  }
  // The nav leads to count_tokens.
  await useLanguage(page.context(), baseURL!, "en");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/docs/messages");
  await page.getByRole("navigation", { name: "Documentation" }).getByRole("link", { name: "Count message tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Count message tokens" })).toBeVisible();
  await expect(page.getByTestId("endpoint-url")).toContainText(`${baseURL}/v1/messages/count_tokens`);
});

test("the admin adds an anthropic channel without a base URL", async ({ page, baseURL }) => {
  await signInAsAdmin(page);
  for (const lang of LANGS) {
    await useLanguage(page.context(), baseURL!, lang);
    await page.goto("/admin/channels");
    await page.getByRole("button", { name: msg(lang, "admin.channels.add") }).first().click();
    const add = page.getByRole("dialog", { name: msg(lang, "admin.channels.addTitle") });
    await add.getByLabel(msg(lang, "admin.channels.form.type")).selectOption("anthropic");
    const baseUrl = add.getByLabel(msg(lang, "admin.channels.form.baseUrl"));
    await expect(baseUrl).toHaveAttribute("placeholder", "https://api.anthropic.com");
    await expect(add).toContainText(msg(lang, "admin.channels.form.baseUrlHintAnthropic", { url: "https://api.anthropic.com" }));
    if (lang === "zh") {
      await shot(page, "messages-admin-anthropic-zh");
      await add.getByRole("button", { name: msg(lang, "common.cancel") }).click();
      continue;
    }
    // Another type brings the OpenAI-style example back.
    await add.getByLabel("Type").selectOption("openai");
    await expect(baseUrl).toHaveAttribute("placeholder", "https://api.openai.com/v1");
    await add.getByLabel("Type").selectOption("anthropic");
    await add.getByLabel("Name", { exact: true }).fill("claude-e2e");
    await add.getByLabel("API key").fill("sk-ant-e2e-not-a-real-key");
    await add.getByLabel("Models").fill("claude-e2e-model");
    await expect(baseUrl).toHaveValue("");
    await shot(page, "messages-admin-anthropic");
    await add.getByRole("button", { name: "Add channel" }).click();
    await expect(add).toBeHidden();
    await expect(page.getByText("Channel claude-e2e was added.")).toBeVisible();
    const row = page.locator('[data-testid="channel-row"][data-channel="claude-e2e"]');
    await expect(row).toContainText("anthropic");
    await expect(row).toContainText("claude-e2e-model");
    const { data } = (await (await page.request.get("/api/admin/channels")).json()) as { data: Array<{ name: string; type: string; baseUrl: string | null; hasApiKey: boolean }> };
    const made = data.find((c) => c.name === "claude-e2e");
    expect(made).toMatchObject({ type: "anthropic", hasApiKey: true });
    // Left empty: no base URL, or Anthropic's default filled in by the server.
    expect([null, "https://api.anthropic.com"]).toContain(made!.baseUrl);
  }
});

/** The rest calls /v1/messages itself: it needs the gateway's Messages endpoint. */
test("the playground talks to a model through the Messages API, streamed as it arrives", async ({ page }) => {
  await signInAsNewUser(page, `messages-player-${Date.now()}@example.com`);
  await page.goto("/playground");
  await page.getByLabel("Model", { exact: true }).selectOption("sandbox-chat");
  await page.locator("label").filter({ has: page.getByRole("radio", { name: "Messages" }) }).click();
  await expect(page.getByRole("radio", { name: "Messages" })).toBeChecked();
  await expect(page.getByText("Calls /v1/messages on the gateway.")).toBeVisible();
  await page.getByLabel("System prompt").fill("You answer in one sentence.");

  const input = page.getByLabel("Message", { exact: true });
  await input.fill("Hello through Messages [sandbox:delay=120]");
  await input.press("Enter");
  const text = page.getByTestId("assistant-message").getByTestId("assistant-text").first();
  await expect(text).toContainText("You said:");
  const partial = (await text.textContent()) ?? "";
  const usage = page.getByTestId("turn-usage").first();
  await expect(usage).toBeVisible({ timeout: 20_000 });
  const final = (await text.textContent()) ?? "";
  expect(final).toContain('You said: "Hello through Messages');
  expect(final).toContain("It also read a system prompt of 5 words.");
  expect(partial.length).toBeGreaterThan(0);
  expect(partial.length).toBeLessThan(final.length);
  await expect(usage).toContainText("(Messages)");
  await expect(usage).toContainText(/\d+ tokens in · \d+ tokens out/);
  await expect(usage.getByTestId("turn-cost")).toHaveText("$0.00");
  await shot(page, "messages-playground");

  // Its row in the usage log: a /v1/messages call on the Playground key.
  const href = await usage.getByRole("link", { name: "Log" }).getAttribute("href");
  const requestId = decodeURIComponent(href!.split("/").pop()!);
  await expect(async () => {
    const log = await page.request.get(`/api/docs/requests/${encodeURIComponent(requestId)}`);
    expect(log.status()).toBe(200);
    expect(await log.json()).toMatchObject({ endpoint: "/v1/messages", stream: true, status: 200, model: "sandbox-chat" });
  }).toPass({ timeout: 10_000 });

  // View code: Anthropic's clients.
  await page.getByRole("button", { name: "View code" }).click();
  const dialog = page.getByRole("dialog", { name: "View code" });
  await expect(dialog.getByTestId("code-snippet")).toContainText("/v1/messages");
  await expect(dialog.getByTestId("code-snippet")).toContainText("x-api-key: $ROOTAPI_KEY");
  await dialog.getByRole("tab", { name: "Python" }).click();
  await expect(dialog.getByTestId("code-snippet")).toContainText("import anthropic");
  await page.keyboard.press("Escape");
});

test("Try it sends the Messages example to /v1/messages and streams Anthropic's events", async ({ page, baseURL }) => {
  await signInAsNewUser(page, `messages-try-${Date.now()}@example.com`);
  await useLanguage(page.context(), baseURL!, "en");
  await page.goto("/docs/messages");
  const tryIt = page.getByTestId("try-it");
  await expect(tryIt.getByTestId("try-it-path")).toHaveValue("/v1/messages");
  const body = tryIt.getByLabel("Request body (JSON)");
  await body.fill(JSON.stringify({ model: "sandbox-chat", max_tokens: 200, stream: true, messages: [{ role: "user", content: "Hello Messages docs [sandbox:delay=60]" }] }));
  await tryIt.getByRole("button", { name: "Run" }).click();
  const text = tryIt.getByTestId("try-it-text");
  await expect(text).toContainText("You said:");
  const partial = (await text.textContent()) ?? "";
  await expect(tryIt.getByTestId("try-it-cost")).toHaveText("$0.00", { timeout: 20_000 });
  const final = (await text.textContent()) ?? "";
  expect(final).toContain('You said: "Hello Messages docs');
  expect(partial.length).toBeLessThan(final.length);
  await expect(tryIt.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryIt.getByTestId("try-it-response")).toContainText("message_start");
  await expect(tryIt.getByTestId("try-it-response")).toContainText("message_stop");

  // With a pasted key, straight from the browser (x-api-key), not streamed: a Message object.
  const made = await page.request.post("/api/keys", { data: { name: "Messages docs key" } });
  const { key } = (await made.json()) as { key: string };
  // The key is pasted on the quickstart (kept in memory while moving between docs pages).
  const nav = page.getByRole("navigation", { name: "Documentation" });
  await nav.getByRole("link", { name: "Quickstart" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Quickstart" })).toBeVisible();
  await pasteDocsKey(page, key);
  await nav.getByRole("link", { name: "Create message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create message" })).toBeVisible();
  await expect(page.getByTestId("code-tabs").getByRole("tabpanel")).toContainText(`x-api-key: ${key}`);
  await tryIt.getByLabel("Key").selectOption("pasted");
  await body.fill(JSON.stringify({ model: "sandbox-chat", max_tokens: 200, messages: [{ role: "user", content: "With my own key" }] }));
  await tryIt.getByRole("button", { name: "Run" }).click();
  await expect(tryIt.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryIt.getByTestId("try-it-response")).toContainText('"type": "message"');
  await expect(tryIt.getByTestId("try-it-response")).toContainText("With my own key");

  // count_tokens answers its count.
  await nav.getByRole("link", { name: "Count message tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Count message tokens" })).toBeVisible();
  await page.getByTestId("try-it").getByRole("button", { name: "Run" }).click();
  await expect(page.getByTestId("try-it-status")).toHaveText("200");
  await expect(page.getByTestId("try-it-response")).toContainText("input_tokens");
});
