import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, ensureAccount, shot, signInViaApi } from "./support/portal";

// e2e/fake-smtp-server.ts keeps what the app mails (see playwright.config.ts for the ports).
const MAIL_READER = `http://127.0.0.1:${Number(process.env.E2E_PORT || 3217) + 3}`;
const NEW_PASSWORD = "a brand new horse";

/** The link in the newest mail to `to` whose subject says `subject`, once it has arrived. */
async function mailedLink(to: string, subject: string, after: number): Promise<string> {
  let link = "";
  await expect
    .poll(async () => {
      const mails = (await (await fetch(`${MAIL_READER}/mails?to=${encodeURIComponent(to)}`)).json()) as Array<{ subject: string; text: string }>;
      const mail = mails.slice(after).find((m) => m.subject.includes(subject));
      link = /https?:\/\/\S+/.exec(mail?.text ?? "")?.[0] ?? "";
      return link;
    })
    .not.toBe("");
  return link;
}

async function mailCount(to: string): Promise<number> {
  return ((await (await fetch(`${MAIL_READER}/mails?to=${encodeURIComponent(to)}`)).json()) as unknown[]).length;
}

async function signInWithForm(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a user who forgot their password resets it from the mailed link", async ({ page }) => {
  const email = `forgetful-${Date.now()}@example.com`;
  await ensureAccount(page, email);
  const before = await mailCount(email);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("If an account exists for that address");
  await shot(page, "accounts-forgot-sent");

  const link = await mailedLink(email, "Reset your RootAPI password", before);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("Your password has been changed");
  await shot(page, "accounts-reset-done");

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("This link is invalid or has expired.");

  await signInWithForm(page, email, PASSWORD);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
  await signInWithForm(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("the account page verifies the address and signs out everywhere", async ({ page, browser }) => {
  const email = `careful-${Date.now()}@example.com`;
  await ensureAccount(page, email);
  await signInViaApi(page, email);
  // A second browser signed in to the same account.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInViaApi(otherPage, email);

  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText("Not verified")).toBeVisible();
  const before = await mailCount(email);
  await page.getByRole("button", { name: "Send verification email" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("Verification email sent");
  await shot(page, "accounts-account-page");

  await page.goto(await mailedLink(email, "Verify your email address", before));
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your email address is verified.");
  await page.goto("/account");
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await other.close();
});
