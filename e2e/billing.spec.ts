import { expect, test } from "@playwright/test";
import path from "node:path";

const ARTIFACTS = path.join(__dirname, "artifacts");

test.describe.configure({ mode: "serial" });

test("top up with Stripe Checkout: pay, webhook lands, balance and history update", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("carol@example.com");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByTestId("billing-balance")).toHaveText("$0.00");
  await page.getByRole("button", { name: "$25", exact: true }).click();
  await expect(page.getByRole("button", { name: "$25", exact: true })).toHaveAttribute("aria-pressed", "true");
  await page.screenshot({ path: path.join(ARTIFACTS, "billing-topup.png"), fullPage: true });
  await page.getByRole("button", { name: "Top up $25" }).click();

  // Stripe's (fake) hosted checkout page.
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  await page.screenshot({ path: path.join(ARTIFACTS, "stripe-checkout.png"), fullPage: true });
  await page.getByRole("button", { name: /Pay \$25/ }).click();

  await expect(page).toHaveURL(/\/billing\/success\?session_id=cs_/);
  await expect(page.getByText("Payment received: $25.00 was added to your balance.")).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "billing-success.png"), fullPage: true });

  await page.getByRole("link", { name: "Back to billing" }).click();
  await expect(page.getByTestId("billing-balance")).toHaveText("$25.00");
  await page.getByRole("link", { name: "Transaction history →" }).click();
  const topUp = page.getByTestId("history-row").filter({ hasText: "Top-up" });
  await expect(topUp).toContainText("+$25.00");
  await page.screenshot({ path: path.join(ARTIFACTS, "billing-history.png"), fullPage: true });
});

test("a canceled checkout changes nothing and says so", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("carol@example.com");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/billing?canceled=1");
  await expect(page.getByText("Checkout was canceled; nothing was charged.")).toBeVisible();
  await expect(page.getByTestId("billing-balance")).toHaveText("$25.00");
});
