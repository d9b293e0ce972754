import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const ARTIFACTS = path.join(__dirname, "artifacts");
const PASSWORD = "correct horse battery";
// ADMIN_EMAIL in playwright.config.ts: Alice is the administrator whenever she has an account.
const ALICE = "alice@example.com";
// Used only when Alice has no account yet (see adminAccount below).
const FALLBACK_ADMIN = "ops@example.com";
const dave = { email: "dave@example.com", name: "Dave" };

test.describe.configure({ mode: "serial" });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
}

/** Signs in through the form; false when the account does not exist (or the password is wrong). */
async function trySignIn(page: Page, email: string): Promise<boolean> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Whichever comes first; the other wait is settled quietly.
  const signedIn = page.waitForURL(/\/dashboard$/).then(
    () => true,
    () => false,
  );
  const refused = page
    .getByRole("alert")
    .filter({ hasText: /Wrong email or password|Sign-in failed/ })
    .waitFor()
    .then(
      () => false,
      () => false,
    );
  return Promise.race([signedIn, refused]);
}

async function signIn(page: Page, email: string) {
  expect(await trySignIn(page, email), `sign in as ${email}`).toBe(true);
  await expect(page.getByTestId("current-user")).toHaveText(email);
}

/**
 * The administrator for this run. Alice when she already has an account (the keys journey creates
 * her). Otherwise this spec must not create her: it runs before keys-journey.spec.ts (Playwright
 * orders files by name) and that spec signs Alice up on the same fresh install. So an operator
 * account is made with the CLI (`user create --admin`), as an operator would on a real install.
 */
let adminEmail = ALICE;

async function adminAccount(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    if (await trySignIn(page, ALICE)) return ALICE;
    if (await trySignIn(page, FALLBACK_ADMIN)) return FALLBACK_ADMIN;
    const port = Number(process.env.E2E_PORT || 3217);
    execFileSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/cli.ts", "user", "create", "--email", FALLBACK_ADMIN, "--password", PASSWORD, "--admin"], {
      cwd: ROOT,
      // The same embedded install the e2e server runs on (see playwright.config.ts).
      env: { ...process.env, ROOTAPI_DATA_DIR: path.join(os.tmpdir(), `rootapi-e2e-${port}`), DATABASE_URL: "" },
      stdio: "pipe",
    });
    return FALLBACK_ADMIN;
  } finally {
    await context.close();
  }
}

test.beforeAll(async ({ browser }) => {
  adminEmail = await adminAccount(browser);
});

test("a non-admin gets no admin link and is refused every admin page and route", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name (optional)").fill(dave.name);
  await page.getByLabel("Email").fill(dave.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  for (const url of ["/admin", "/admin/channels", "/admin/prices", "/admin/users"]) {
    await page.goto(url);
    await expect(page.getByText("403 — administrators only")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin" })).toHaveCount(0);
  }
  await shot(page, "refused");
  const api = await page.request.get("/api/admin/channels");
  expect(api.status()).toBe(403);
  expect((await api.json()).error.message).toBe("Administrators only");
});

test("the admin tests the sandbox, adds, edits, tests and disables a channel, and prices its model", async ({ page }) => {
  await signIn(page, adminEmail);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Redemption codes" })).toBeVisible();
  await expect(page.getByTestId("count-users")).not.toHaveText("0");
  await shot(page, "overview");

  const adminNav = page.getByRole("navigation", { name: "Admin" });
  await adminNav.getByRole("link", { name: "Channels" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Channels" })).toBeVisible();
  await expect(adminNav.getByRole("link", { name: "Channels" })).toHaveAttribute("aria-current", "page");

  // The seeded sandbox answers the test.
  const sandbox = page.locator('[data-testid="channel-row"][data-channel="sandbox"]');
  await expect(sandbox).toContainText("ENABLED");
  await sandbox.getByRole("button", { name: "Test sandbox" }).click();
  await expect(sandbox.getByTestId("channel-test-result")).toHaveText(/^Test OK · \d+ ms$/);
  await expect(sandbox).toContainText(/Last latency: \d+ ms/);

  // Add a channel.
  await page.getByRole("button", { name: "Add channel" }).click();
  const add = page.getByRole("dialog", { name: "Add a channel" });
  await expect(add).toBeVisible();
  await add.getByLabel("Name", { exact: true }).fill("sandbox-pro");
  await add.getByLabel("Type").selectOption("sandbox");
  await add.getByLabel("Models").fill("sandbox-pro, sandbox-pro-mini");
  await add.getByLabel("Model mapping").fill("sandbox-pro-mini=sandbox-mini");
  await add.getByLabel("Priority").fill("5");
  await shot(page, "channel-dialog");
  await add.getByRole("button", { name: "Add channel" }).click();
  await expect(add).toBeHidden();
  await expect(page.getByText("Channel sandbox-pro was added.")).toBeVisible();
  const pro = page.locator('[data-testid="channel-row"][data-channel="sandbox-pro"]');
  await expect(pro).toContainText("sandbox-pro, sandbox-pro-mini");
  await expect(pro).toContainText("sandbox-pro-mini → sandbox-mini");
  await expect(pro).toContainText("Priority 5");

  // A readable error for a bad edit; then a good one.
  await pro.getByRole("button", { name: "Edit sandbox-pro" }).click();
  const edit = page.getByRole("dialog", { name: "Edit sandbox-pro" });
  await edit.getByLabel("Weight").fill("0");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("alert")).toHaveText("weight must be a whole number ≥ 1");
  await edit.getByLabel("Weight").fill("3");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(pro).toContainText("Weight 3");

  await pro.getByRole("button", { name: "Test sandbox-pro" }).click();
  await expect(pro.getByTestId("channel-test-result")).toHaveText(/^Test OK · \d+ ms$/);

  await pro.getByRole("button", { name: "Disable sandbox-pro" }).click();
  await expect(pro).toContainText("DISABLED");
  await expect(pro).toContainText(`Disabled by ${adminEmail}`);
  await pro.getByRole("button", { name: "Enable sandbox-pro" }).click();
  await expect(pro).toContainText("ENABLED");
  await shot(page, "channels");

  // On a phone the table scrolls sideways inside its card; the page itself does not.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(pro).toBeVisible();
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    table: (() => {
      const wrapper = document.querySelector('[data-testid="channel-row"]')!.closest("div.overflow-x-auto")!;
      return wrapper.scrollWidth - wrapper.clientWidth;
    })(),
  }));
  expect(overflow.page).toBeLessThanOrEqual(0);
  expect(overflow.table).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "admin-channels-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // The new models are not callable until priced: the prices page says so and offers to fix it.
  await adminNav.getByRole("link", { name: "Prices" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Model prices" })).toBeVisible();
  const hint = page.getByTestId("unpriced-models");
  await expect(hint).toContainText("sandbox-pro-mini");
  await hint.getByRole("button", { name: "Add a price for sandbox-pro", exact: true }).click();
  const priceDialog = page.getByRole("dialog", { name: "Add a price" });
  await expect(priceDialog.getByLabel("Model", { exact: true })).toHaveValue("sandbox-pro");
  await priceDialog.getByLabel("Input (USD / 1M tokens)").fill("0.5");
  await priceDialog.getByLabel("Output (USD / 1M tokens)").fill("1.000001");
  await priceDialog.getByRole("button", { name: "Add price" }).click();
  await expect(priceDialog).toBeHidden();
  const priceRow = page.locator('[data-testid="price-row"][data-model="sandbox-pro"]');
  await expect(priceRow).toContainText("$0.50");
  await expect(priceRow).toContainText("$1.000001");
  await expect(hint).not.toContainText(/sandbox-pro(?!-mini)/);
  await expect(hint).toContainText("sandbox-pro-mini");

  // Prompt-cache writes: a bad rate is explained and nothing is saved; good ones show in the row.
  await priceRow.getByRole("button", { name: "Edit price of sandbox-pro" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit price of sandbox-pro" });
  await editDialog.getByLabel("Cache write, 5 min (USD / 1M)").fill("-1");
  await editDialog.getByRole("button", { name: "Save price" }).click();
  await expect(editDialog.getByRole("alert")).toContainText("The cache write price cannot be negative");
  await editDialog.getByLabel("Cache write, 5 min (USD / 1M)").fill("0.625");
  await editDialog.getByLabel("Cache write, 1 hour (USD / 1M)").fill("1.2");
  await editDialog.getByRole("button", { name: "Save price" }).click();
  await expect(editDialog).toBeHidden();
  await expect(priceRow).toContainText("$0.625 · $1.20");
  await shot(page, "prices");

  // Delete the channel again (with confirmation); its price stays, flagged as served by nobody.
  await adminNav.getByRole("link", { name: "Channels" }).click();
  await pro.getByRole("button", { name: "Delete sandbox-pro" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete this channel?" });
  await expect(confirm).toContainText("sandbox-pro");
  await confirm.getByRole("button", { name: "Delete channel" }).click();
  await expect(pro).toHaveCount(0);
  await expect(page.getByText("Channel sandbox-pro was deleted.")).toBeVisible();
});

test("the admin credits a user, sees it in their ledger, and cannot demote themselves", async ({ page }) => {
  await signIn(page, adminEmail);
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await page.getByLabel("Email contains").fill("DAVE");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=DAVE/);
  const row = page.locator(`[data-testid="user-row"][data-email="${dave.email}"]`);
  await expect(page.getByTestId("user-row")).toHaveCount(1);
  await expect(row.getByTestId("user-balance")).toHaveText("$0.00");

  await row.getByRole("button", { name: `Credit or debit ${dave.email}` }).click();
  const dialog = page.getByRole("dialog", { name: "Credit or debit a balance" });
  await dialog.getByLabel("Amount (USD)").fill("5");
  await dialog.getByRole("button", { name: "Book adjustment" }).click();
  // The note is required (the browser asks first; the server would refuse too).
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Note").fill("welcome bonus");
  await dialog.getByRole("button", { name: "Book adjustment" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Credited $5.00 to ${dave.email}; the balance is now $5.00.`)).toBeVisible();
  await expect(row.getByTestId("user-balance")).toHaveText("$5.00");
  await shot(page, "users");

  await row.getByRole("link", { name: `Usage of ${dave.email}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: dave.email })).toBeVisible();
  await expect(page.getByTestId("user-balance")).toHaveText("$5.00");
  const entry = page.getByTestId("ledger-row").first();
  await expect(entry).toContainText("Adjustment");
  await expect(entry).toContainText("welcome bonus");
  await expect(entry).toContainText(`by ${adminEmail}`);
  await expect(entry).toContainText("+$5.00");
  await shot(page, "user");

  // A debit from the user's page.
  await page.getByRole("button", { name: `Credit or debit ${dave.email}` }).click();
  const debit = page.getByRole("dialog", { name: "Credit or debit a balance" });
  await debit.getByLabel("Amount (USD)").fill("-1.25");
  await debit.getByLabel("Note").fill("correction");
  await debit.getByRole("button", { name: "Book adjustment" }).click();
  await expect(page.getByTestId("user-balance")).toHaveText("$3.75");
  await expect(page.getByTestId("ledger-row").first()).toContainText("-$1.25");

  // Self-protection: the error is shown, nothing changes.
  await page.goto(`/admin/users?q=${encodeURIComponent(adminEmail)}`);
  const self = page.locator(`[data-testid="user-row"][data-email="${adminEmail}"]`);
  await self.getByRole("button", { name: `Remove admin from ${adminEmail}` }).click();
  const demote = page.getByRole("dialog", { name: "Remove admin rights?" });
  await demote.getByRole("button", { name: "Remove admin" }).click();
  await expect(demote.getByRole("alert")).toHaveText("You cannot remove your own admin role");
  await demote.getByRole("button", { name: "Cancel" }).click();
  await expect(self).toContainText("ADMIN");
});

test("the credited user sees the adjustment as their balance", async ({ page }) => {
  await signIn(page, dave.email);
  await expect(page.getByTestId("balance")).toHaveText("$3.75");
});

test("the admin console speaks Simplified Chinese when the language is switched", async ({ page, baseURL }) => {
  await signIn(page, adminEmail);
  // What the header's language switcher remembers.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh", url: baseURL! }]);

  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "管理后台" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "兑换码" })).toBeVisible();
  const adminNav = page.getByRole("navigation", { name: "管理后台" });
  await expect(adminNav.getByRole("link", { name: "概览" })).toHaveAttribute("aria-current", "page");
  await shot(page, "zh-overview");

  await adminNav.getByRole("link", { name: "渠道" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "渠道" })).toBeVisible();
  const sandbox = page.locator('[data-testid="channel-row"][data-channel="sandbox"]');
  await expect(sandbox).toContainText("已启用");
  await sandbox.getByRole("button", { name: "测试 sandbox" }).click();
  await expect(sandbox.getByTestId("channel-test-result")).toHaveText(/^测试成功 · \d+ 毫秒$/);
  await page.getByRole("button", { name: "添加渠道" }).click();
  const add = page.getByRole("dialog", { name: "添加渠道" });
  await add.getByLabel("名称", { exact: true }).fill("zh-channel");
  await add.getByLabel("类型").selectOption("sandbox");
  await add.getByLabel("模型", { exact: true }).fill("zh-model");
  await add.getByLabel("权重").fill("0");
  await add.getByRole("button", { name: "添加渠道" }).click();
  // The API's validation message arrives in the visitor's language.
  await expect(add.getByRole("alert")).toHaveText("weight 必须为不小于 1 的整数");
  await shot(page, "zh-channel-dialog");
  await add.getByRole("button", { name: "取消" }).click();
  await expect(page.locator('[data-testid="channel-row"][data-channel="zh-channel"]')).toHaveCount(0);

  await adminNav.getByRole("link", { name: "价格" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "模型价格" })).toBeVisible();
  await expect(page.locator('[data-testid="price-row"][data-model="sandbox-chat"]')).toBeVisible();
  await shot(page, "zh-prices");

  await adminNav.getByRole("link", { name: "用户" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "用户" })).toBeVisible();
  await page.getByLabel("邮箱包含").fill("dave");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByTestId("users-count")).toHaveText(/^匹配“dave”的用户共 1 位/);
  await page.getByRole("link", { name: `${dave.email} 的用量` }).click();
  await expect(page.getByRole("heading", { level: 1, name: dave.email })).toBeVisible();
  await expect(page.getByTestId("ledger-row").filter({ hasText: "welcome bonus" })).toContainText("调整");
  await expect(page.getByRole("heading", { name: "账本（最近 50 条）" })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ARTIFACTS, "admin-zh-user-phone.png"), fullPage: true });
});
