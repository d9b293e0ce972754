import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/databases";
import { PortalClient } from "../helpers/portal-client";
import { startServer, type RunningServer } from "../helpers/server";

const PASSWORD = "correct horse battery";
const EN = { headers: { "accept-language": "en-US,en;q=0.9" } };
const ZH = { headers: { "accept-language": "en-US,en;q=0.9", cookie: "NEXT_LOCALE=zh" } };

/** Server-rendered HTML separates adjacent text with <!-- --> markers; read it as a person would. */
const textOf = (html: string) => html.replaceAll("<!-- -->", "");
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const descriptionOf = (html: string) => /<meta name="description" content="([^"]*)"/.exec(html)?.[1];
const decode = (s: string | undefined) => s?.replaceAll("&#x27;", "'").replaceAll("&amp;", "&");

describe("the portal's public face (SQLite)", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let member: PortalClient;
  let databaseFile: string;

  beforeAll(async () => {
    const db = await createTestDatabase("sqlite");
    drop = db.drop;
    databaseFile = db.url.slice("file:".length);
    server = await startServer(db.url);
    // The first account administers the install; the member is the second.
    await new PortalClient(server.url).signUp("owner@example.com", PASSWORD);
    member = new PortalClient(server.url);
    expect((await member.signUp("member@example.com", PASSWORD)).status).toBeLessThan(300);
    expect(await member.signIn("member@example.com", PASSWORD)).toBeNull();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("serves the docs to visitors, with the public header and a title and description per page", async () => {
    const visitor = new PortalClient(server.url);
    const docs = await visitor.request("/docs", EN);
    expect(docs.status).toBe(200);
    const html = textOf(await docs.text());
    expect(titleOf(html)).toBe("Docs · RootAPI");
    expect(decode(descriptionOf(html))).toBe(`From zero to your first call in four steps. Your base URL: ${server.url}/v1`);
    expect(html).toContain('data-testid="site-header"');
    expect(html).toContain('href="/sign-in?callbackUrl=%2Fdocs"');
    expect(html).not.toContain('data-testid="current-user"');

    const endpoint = await visitor.request("/docs/chat-completions", EN);
    expect(endpoint.status).toBe(200);
    const page = textOf(await endpoint.text());
    expect(titleOf(page)).toBe("Create chat completion · API reference · RootAPI");
    expect(decode(descriptionOf(page))).toBe("Send a conversation and get the model's next message, all at once or streamed as server-sent events.");

    const chinese = textOf(await (await visitor.request("/docs/chat-completions", ZH)).text());
    expect(titleOf(chinese)).toMatch(/ · API 参考 · RootAPI$/);
    expect(descriptionOf(chinese)).toBeTruthy();
    expect(descriptionOf(chinese)).not.toBe(descriptionOf(page));
  });

  it("shows signed-in readers the docs inside their portal, with their nav", async () => {
    const html = textOf(await (await member.request("/docs/chat-completions", EN)).text());
    expect(html).toContain('data-testid="current-user"');
    expect(html).toContain("member@example.com");
    expect(html).not.toContain('data-testid="site-header"');
  });

  it("sends visitors of protected pages to sign-in with the way back, and never elsewhere", async () => {
    const visitor = new PortalClient(server.url);
    for (const [path, location] of [
      ["/usage?x=1", "/sign-in?callbackUrl=%2Fusage%3Fx%3D1"],
      ["/admin/users", "/sign-in?callbackUrl=%2Fadmin%2Fusers"],
      ["/keys", "/sign-in?callbackUrl=%2Fkeys"],
      ["/account", "/sign-in?callbackUrl=%2Faccount"],
      ["/dashboard", "/sign-in"],
    ]) {
      const response = await visitor.request(path!);
      expect(response.status, path).toBe(307);
      expect(response.headers.get("location"), path).toBe(location);
    }
    // The way back is the page asked for, whatever header the client sends.
    const spoofed = await visitor.request("/billing", { headers: { "x-rootapi-page-path": "//evil.example" } });
    expect(spoofed.headers.get("location")).toBe("/sign-in?callbackUrl=%2Fbilling");
  });

  it("takes the way back through sign-in and sign-up, and follows it for a signed-in user", async () => {
    const visitor = new PortalClient(server.url);
    const signIn = textOf(await (await visitor.request("/sign-in?callbackUrl=%2Fdocs%2Fchat-completions", EN)).text());
    expect(signIn).toContain('href="/sign-up?callbackUrl=%2Fdocs%2Fchat-completions"');
    const signUp = textOf(await (await visitor.request("/sign-up?callbackUrl=%2Fusage%3Fx%3D1", EN)).text());
    expect(signUp).toContain('href="/sign-in?callbackUrl=%2Fusage%3Fx%3D1"');
    // Foreign targets are dropped.
    const foreign = textOf(await (await visitor.request("/sign-in?callbackUrl=https%3A%2F%2Fevil.example", EN)).text());
    expect(foreign).toContain('href="/sign-up"');
    expect(foreign).not.toMatch(/href="[^"]*evil\.example/);

    for (const page of ["/sign-in", "/sign-up"]) {
      const response = await member.request(`${page}?callbackUrl=%2Fusage%3Fx%3D1`);
      expect(response.status, page).toBe(307);
      expect(response.headers.get("location"), page).toBe("/usage?x=1");
    }
  });

  it("answers unknown addresses with the branded 404, in both languages, with the portal's navigation", async () => {
    const visitor = new PortalClient(server.url);
    const response = await visitor.request("/no-such-page", EN);
    expect(response.status).toBe(404);
    const html = textOf(await response.text());
    expect(titleOf(html)).toBe("Page not found · RootAPI");
    expect(html).toContain("The page you asked for does not exist or has moved.");
    expect(html).toContain('data-testid="site-header"');
    expect(html).toContain('href="/docs"');

    const chinese = await visitor.request("/no-such-page", ZH);
    expect(chinese.status).toBe(404);
    const zh = textOf(await chinese.text());
    expect(titleOf(zh)).toBe("页面不存在 · RootAPI");
    expect(zh).toContain('<html lang="zh-CN"');

    const signedIn = textOf(await (await member.request("/no-such-page", EN)).text());
    expect(signedIn).toContain("Page not found");
    expect(signedIn).toContain('data-testid="current-user"');
    expect(signedIn).toContain('href="/keys"');

    // notFound() inside the docs: the same page (React draws it from the payload: e2e checks the screen).
    const endpoint = await visitor.request("/docs/no-such-endpoint", EN);
    expect(endpoint.status).toBe(404);
    expect(titleOf(textOf(await endpoint.text()))).toBe("Page not found · RootAPI");
  });

  it("serves the favicon and app icons, linked from every page", async () => {
    for (const [path, type] of [
      ["/favicon.ico", "image/x-icon"],
      ["/icon.svg", "image/svg+xml"],
      ["/apple-icon.png", "image/png"],
    ]) {
      const response = await new PortalClient(server.url).request(path!);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toContain(type);
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
    const html = await (await new PortalClient(server.url).request("/docs")).text();
    expect(html).toMatch(/<link rel="icon" href="\/favicon\.ico[^"]*"/);
    expect(html).toMatch(/<link rel="icon" href="\/icon\.svg[^"]*" sizes="any" type="image\/svg\+xml"/);
    expect(html).toMatch(/<link rel="apple-touch-icon" href="\/apple-icon\.png[^"]*"/);
  });

  it("answers a failing page with a 500 that tells nothing of the failure", async () => {
    // The sessions table goes away under the running server: every signed-in page now fails.
    // (React draws the error page from the payload in the browser: e2e checks the screen.)
    const sqlite = new Database(databaseFile);
    sqlite.exec('ALTER TABLE "PortalSession" RENAME TO "PortalSessionGone"');
    try {
      const response = await member.request("/keys", EN);
      expect(response.status).toBe(500);
      const html = await response.text();
      expect(html).toMatch(/digest\\":\\"\d+/);
      expect(html).not.toContain("PortalSession");
      expect(html).not.toContain("no such table");
    } finally {
      sqlite.exec('ALTER TABLE "PortalSessionGone" RENAME TO "PortalSession"');
      sqlite.close();
    }
  });
});
