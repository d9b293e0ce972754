import { defineConfig, devices } from "@playwright/test";
import os from "node:os";
import path from "node:path";

import { FAKE_STRIPE_SECRET_KEY, FAKE_STRIPE_WEBHOOK_SECRET } from "../test/helpers/fake-stripe";
import { E2E_ADMIN_EMAILS } from "./support/portal";

const port = Number(process.env.E2E_PORT || 3217);
const stripePort = port + 1;
// SMTP on port + 2, its mail reader on port + 3 (e2e/fake-smtp-server.ts).
const smtpPort = port + 2;
const appUrl = `http://127.0.0.1:${port}`;
const dataDir = path.join(os.tmpdir(), `rootapi-e2e-${port}`);
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: ".",
  outputDir: "../test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      command: "node_modules/.bin/tsx e2e/fake-stripe-server.ts",
      cwd: "..",
      port: stripePort,
      reuseExistingServer: false,
      env: { FAKE_STRIPE_PORT: String(stripePort), APP_URL: appUrl },
    },
    {
      command: "node_modules/.bin/tsx e2e/fake-smtp-server.ts",
      cwd: "..",
      port: smtpPort + 1,
      reuseExistingServer: false,
      env: { FAKE_SMTP_PORT: String(smtpPort) },
    },
    {
      // A fresh embedded (SQLite) install for every run: exactly what the quick start gives a new user.
      command: `rm -rf "${dataDir}" && node_modules/.bin/tsx server/index.ts`,
      cwd: "..",
      url: `${appUrl}/sign-in`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        PORT: String(port),
        HOST: "127.0.0.1",
        ROOTAPI_DATA_DIR: dataDir,
        DATABASE_URL: "",
        NEXT_TELEMETRY_DISABLED: "1",
        // Alice for the keys and admin specs; the operator for specs that must not touch her account.
        ADMIN_EMAIL: E2E_ADMIN_EMAILS,
        STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: FAKE_STRIPE_WEBHOOK_SECRET,
        STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
        // Mail links point at PUBLIC_URL (never at a request's Host header).
        PUBLIC_URL: appUrl,
        SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${smtpPort}`,
        MAIL_FROM: "RootAPI <no-reply@rootapi.test>",
        // The specs sign many accounts up from this one address.
        SIGNUP_LIMIT_PER_ADDRESS: "1000",
      },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
