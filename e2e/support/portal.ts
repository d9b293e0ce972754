import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import en from "../../messages/en";
import zh from "../../messages/zh";

export const ARTIFACTS = path.join(__dirname, "..", "artifacts");
export const PASSWORD = "correct horse battery";
/**
 * Listed in ADMIN_EMAIL (playwright.config.ts) beside Alice, whose account other specs create and
 * inspect themselves: so these specs never depend on which spec ran first. ADMIN_EMAIL applies to
 * verified addresses only; verifyByCli does what the operator (or the mailed link) would.
 */
export const ADMIN_EMAIL = "operator@example.com";
/** The e2e server's ADMIN_EMAIL: Alice for the keys and admin specs, and the operator. */
export const E2E_ADMIN_EMAILS = `alice@example.com, ${ADMIN_EMAIL}`;

export type Lang = "en" | "zh";
export const LANGS: Lang[] = ["en", "zh"];
const CATALOGS = { en, zh } as const;

/** A message from the app's own catalogs, so one spec checks both languages. */
export function msg(lang: Lang, key: string, args: Record<string, string | number> = {}): string {
  let node: unknown = CATALOGS[lang];
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "string") throw new Error(`No message ${lang}:${key}`);
  // Rich-text tags (<link>…</link>) render as elements: their text is what a user sees.
  return node
    .replace(/<\/?[a-zA-Z]+>/g, "")
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in args ? String(args[name]) : whole));
}

export async function useLanguage(context: BrowserContext, baseURL: string, lang: Lang): Promise<void> {
  await context.addCookies([{ name: "NEXT_LOCALE", value: lang, url: baseURL }]);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Pastes a key into the docs' key picker (on an English page) and waits until the page uses it. Playwright focuses the
 * field, then types into whatever is focused in a second step: a field that a client navigation or
 * hydration replaces in between loses the text (CI saw it once), so the paste is retried until
 * React says it took the key.
 */
export async function pasteDocsKey(page: Page, key: string): Promise<void> {
  const picker = page.getByTestId("key-picker");
  await expect(async () => {
    await picker.getByTestId("paste-key").fill(key);
    await expect(picker).toContainText(msg("en", "docs.keys.usingPasted"), { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** Creates the account through the portal API when it does not exist yet (409 means it does). */
export async function ensureAccount(page: Page, email: string): Promise<void> {
  const response = await page.request.post("/api/signup", { data: { email, password: PASSWORD } });
  expect([200, 201, 409]).toContain(response.status());
}

/** Signs in through next-auth's credentials endpoint; the session cookie lands in the page's context. */
export async function signInViaApi(page: Page, email: string): Promise<void> {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await page.request.post("/api/auth/callback/credentials", {
    form: { email, password: PASSWORD, csrfToken, callbackUrl: "/dashboard" },
  });
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } } | null;
  expect(session?.user?.email).toBe(email);
}

const ROOT = path.join(__dirname, "..", "..");
const verified = new Set<string>();

/** The e2e server's data dir (playwright.config.ts): a fresh embedded install per run. */
export function e2eDataDir(): string {
  return path.join(os.tmpdir(), `rootapi-e2e-${Number(process.env.E2E_PORT || 3217)}`);
}

/** `npm run cli -- <args>` on the e2e server's install; returns stdout. */
export function runCli(args: string[]): string {
  return execFileSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/cli.ts", ...args], {
    cwd: ROOT,
    // The same embedded install the e2e server runs on (see playwright.config.ts).
    // The CLI applies ADMIN_EMAIL itself when it verifies, so it needs the server's list.
    env: { ...process.env, ROOTAPI_DATA_DIR: e2eDataDir(), DATABASE_URL: "", ADMIN_EMAIL: E2E_ADMIN_EMAILS },
    stdio: "pipe",
    encoding: "utf8",
  });
}

/** `npm run cli -- user verify` on the e2e server's install: the address counts as verified (and ADMIN_EMAIL applies). */
export function verifyByCli(email: string): void {
  if (verified.has(email)) return;
  runCli(["user", "verify", "--email", email]);
  verified.add(email);
}

/** The operator's account exists and administers, whatever order the specs run in. */
export async function ensureAdminAccount(page: Page): Promise<void> {
  await ensureAccount(page, ADMIN_EMAIL);
  verifyByCli(ADMIN_EMAIL);
}

export async function signInAsAdmin(page: Page): Promise<void> {
  await ensureAdminAccount(page);
  await signInViaApi(page, ADMIN_EMAIL);
}

export async function signInAsNewUser(page: Page, email: string): Promise<void> {
  await ensureAdminAccount(page);
  await ensureAccount(page, email);
  await signInViaApi(page, email);
}

/** A real /v1 call with a fresh key, so usage pages have something to show. */
export async function makeSandboxCall(page: Page): Promise<{ key: string; requestId: string }> {
  const created = await page.request.post("/api/keys", { data: { name: `e2e ${Date.now()}` } });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  const response = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "sandbox-chat", messages: [{ role: "user", content: "Hello from the page tour" }] },
  });
  expect(response.status()).toBe(200);
  return { key, requestId: response.headers()["x-request-id"]! };
}

/** What a signed-in page tour needs: ids for the detail pages and the admin's browser state. */
export interface AdminTour {
  ids: { requestId: string; userId: string; apiKey: string };
  state: Awaited<ReturnType<BrowserContext["storageState"]>>;
}

/** Signs the admin in, makes one sandbox call (so request detail pages exist) and keeps the session. */
export async function prepareAdminTour(browser: Browser): Promise<AdminTour> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsAdmin(page);
  const { requestId, key } = await makeSandboxCall(page);
  const users = await page.request.get(`/api/admin/users?q=${encodeURIComponent(ADMIN_EMAIL)}`);
  const { data } = (await users.json()) as { data: { id: string; email: string }[] };
  const tour = { ids: { requestId, apiKey: key, userId: data.find((u) => u.email === ADMIN_EMAIL)!.id }, state: await context.storageState() };
  await context.close();
  return tour;
}
