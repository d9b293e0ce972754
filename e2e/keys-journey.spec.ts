import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { verifyByCli } from "./support/portal";

const ARTIFACTS = path.join(__dirname, "artifacts");
const PASSWORD = "correct horse battery";
// ADMIN_EMAIL (see playwright.config.ts) makes Alice the admin once her address is verified.
const alice = { email: "alice@example.com", name: "Alice" };
const bob = { email: "bob@example.com", name: "Bob" };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signUp(page: Page, user: { email: string; name: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Name (optional)").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("current-user")).toHaveText(user.email);
}

test.describe.configure({ mode: "serial" });

test("landing page explains the product and the four steps", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("One API key");
  for (const step of ["Register", "Get a key", "Pick an endpoint", "Call it"]) {
    await expect(page.getByRole("heading", { name: step, exact: true })).toBeVisible();
  }
  await shot(page, "landing");
});

test("sign up, create a key shown once, revoke it, sign out and back in", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/sign-up");
  await shot(page, "sign-up");
  await signUp(page, alice);
  await expect(page.getByTestId("balance")).toHaveText("$0.00");
  verifyByCli(alice.email);
  await page.reload();
  await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
  await shot(page, "dashboard");

  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await shot(page, "keys-empty");

  await page.getByLabel("Name").fill("ci key");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Your new API key" });
  await expect(dialog).toBeVisible();
  const key = (await dialog.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^sk-[0-9A-Za-z]{43}$/);
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await shot(page, "keys-created-dialog");
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByTestId("key-row").filter({ hasText: "ci key" });
  await expect(row).toContainText(key.slice(0, 7));
  await expect(row).toContainText("active");
  // Shown once: neither the list nor a reload reveals the full key again.
  await expect(page.getByText(key)).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(key)).toHaveCount(0);
  await shot(page, "keys-list");

  await row.getByRole("button", { name: "Revoke ci key" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke this key?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await shot(page, "keys-revoked");

  for (const [link, file] of [["Usage", "usage"], ["Billing", "billing"], ["Playground", "playground"], ["Docs", "docs"], ["Admin", "admin"]] as const) {
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await shot(page, file);
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("Email").fill(alice.email);
  await page.getByLabel("Password").fill("wrong password!");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await shot(page, "sign-in-error");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back on the page that sent us to sign-in.
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByTestId("key-row").filter({ hasText: "ci key" })).toContainText("revoked");
});

test("a second user sees none of the first user's keys and no admin console", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(alice.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists")).toBeVisible();

  await signUp(page, bob);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await page.goto("/keys");
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await expect(page.getByText("ci key")).toHaveCount(0);
  await page.goto("/admin");
  await expect(page.getByText("403 — administrators only")).toBeVisible();
  await shot(page, "admin-forbidden");
});

test("a visitor switches to Chinese before signing in; the choice is remembered through sign-up and the keys page", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("一个 API 密钥，调用所有模型。");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await shot(page, "landing-zh");

  await page.getByTestId("account-links").getByRole("link", { name: "注册", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "注册账号" })).toBeVisible();
  await page.getByLabel("姓名（可选）").fill("Chen");
  await page.getByLabel("邮箱").fill("chen@example.com");
  await page.getByLabel("密码").fill("short");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText("密码至少需要 8 个字符。")).toBeVisible();
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("欢迎，Chen");
  await shot(page, "dashboard-zh");

  await page.getByRole("navigation", { name: "控制台" }).getByRole("link", { name: "API 密钥" }).click();
  await expect(page.getByText("还没有 API 密钥")).toBeVisible();
  await page.getByLabel("名称").fill("测试密钥");
  await page.getByRole("button", { name: "创建密钥" }).click();
  const dialog = page.getByRole("dialog", { name: "你的新 API 密钥" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "完成" }).click();
  const row = page.getByTestId("key-row").filter({ hasText: "测试密钥" });
  await expect(row).toContainText("有效");
  await row.getByRole("button", { name: "吊销 测试密钥" }).click();
  await page.getByRole("dialog", { name: "吊销此密钥？" }).getByRole("button", { name: "吊销密钥" }).click();
  await expect(row).toContainText("已吊销");
  await shot(page, "keys-zh");

  await page.goto("/billing");
  await expect(page.getByRole("heading", { level: 1, name: "账单" })).toBeVisible();
  await shot(page, "billing-zh");
  await page.goto("/models");
  await expect(page.getByRole("heading", { level: 1, name: "模型与价格" })).toBeVisible();
  await shot(page, "models-zh");
});
