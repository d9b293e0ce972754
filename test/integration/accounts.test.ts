import { afterAll, beforeAll, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { createTestDatabase } from "../helpers/databases";
import { databaseProviders } from "../helpers/database-matrix";
import { PortalClient } from "../helpers/portal-client";
import { startServer, type RunningServer } from "../helpers/server";
import { linkIn, startMailCatcher, type MailCatcher } from "../helpers/smtp";
import { createDb, type Db } from "@/lib/db/client";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "another horse battery";
// Links in mails use PUBLIC_URL, never the request's Host: a name that does not even resolve proves it.
const PUBLIC_URL = "http://rootapi.test";

/** A client signed up and signed in (at its own loopback address when given). */
async function member(url: string, email: string, localAddress?: string): Promise<PortalClient> {
  const client = new PortalClient(url, { localAddress });
  const signup = await client.signUp(email, PASSWORD);
  expect(signup.status, await signup.clone().text()).toBe(201);
  expect(await client.signIn(email, PASSWORD)).toBeNull();
  return client;
}

const status = async (client: PortalClient, path = "/api/keys") => (await client.request(path)).status;

describe.each(await databaseProviders())("accounts on %s", (provider) => {
  let server: RunningServer;
  let mail: MailCatcher;
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase(provider);
    drop = database.drop;
    mail = await startMailCatcher();
    server = await startServer(database.url, {
      SMTP_URL: mail.url,
      MAIL_FROM: "RootAPI <accounts@rootapi.test>",
      PUBLIC_URL,
      ADMIN_EMAIL: "boss@corp.test",
    });
    db = createDb(database.url);
    // The platform's first account is its admin; everything below is about later accounts.
    await member(server.url, "founder@corp.test");
  });

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await mail?.close();
    await drop?.();
  });

  it("gives ADMIN_EMAIL admin rights only once the address is verified by its link", async () => {
    const boss = new PortalClient(server.url);
    const signup = await boss.signUp("BOSS@corp.test ", PASSWORD);
    expect(await signup.json()).toMatchObject({ email: "boss@corp.test", role: "USER" });
    expect(await boss.signIn("boss@corp.test", PASSWORD)).toBeNull();
    expect(await status(boss, "/api/admin/users")).toBe(403);

    const before = mail.mails.length;
    const resend = await boss.request("/api/account/verify-email", { method: "POST" });
    expect(resend.status).toBe(202);
    const sent = await mail.next("boss@corp.test", before);
    expect(sent.from).toContain("accounts@rootapi.test");
    expect(sent.subject).toBe("Verify your email address for RootAPI");
    const link = linkIn(sent, PUBLIC_URL);
    expect(link.pathname).toBe("/verify-email");
    const token = link.searchParams.get("token")!;
    // Only the token's hash is stored.
    expect(JSON.stringify(await db.emailToken.findMany())).not.toContain(token);

    // The page shows a button; opening the link alone (a mail scanner) verifies nothing.
    const page = await new PortalClient(server.url).request(`/verify-email?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Verify my address");
    expect((await db.user.findUniqueOrThrow({ where: { email: "boss@corp.test" } })).emailVerified).toBeNull();

    const verified = await new PortalClient(server.url).json("/api/verify-email", "POST", { token });
    expect(await verified.json()).toEqual({ email: "boss@corp.test", role: "ADMIN" });
    expect(await status(boss, "/api/admin/users")).toBe(200);
    // Single use.
    const again = await new PortalClient(server.url).json("/api/verify-email", "POST", { token });
    expect(again.status).toBe(400);
    expect((await again.json()).error.code).toBe("invalid_token");
    expect((await boss.request("/api/account/verify-email", { method: "POST" })).status).toBe(409);
  });

  it("does not make an unlisted address admin by verifying it", async () => {
    const user = await member(server.url, "plain@corp.test");
    const before = mail.mails.length;
    await user.request("/api/account/verify-email", { method: "POST" });
    const token = linkIn(await mail.next("plain@corp.test", before), PUBLIC_URL).searchParams.get("token")!;
    expect(await (await user.json("/api/verify-email", "POST", { token })).json()).toEqual({ email: "plain@corp.test", role: "USER" });
  });

  it("sends at most three verification mails an hour", async () => {
    const user = await member(server.url, "impatient@corp.test");
    for (let i = 0; i < 3; i++) expect((await user.request("/api/account/verify-email", { method: "POST" })).status).toBe(202);
    const fourth = await user.request("/api/account/verify-email", { method: "POST" });
    expect(fourth.status).toBe(429);
    expect((await fourth.json()).error.code).toBe("too_many_mails");
  });

  it("resets a password by mail without revealing whether the account exists, and ends its sessions", async () => {
    const owner = await member(server.url, "forgetful@corp.test");
    const stranger = new PortalClient(server.url);
    const before = mail.mails.length;
    const known = await stranger.json("/api/password/forgot", "POST", { email: "Forgetful@corp.test" });
    const unknown = await stranger.json("/api/password/forgot", "POST", { email: "nobody@corp.test" });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.text()).toBe(await unknown.text());

    const sent = await mail.next("forgetful@corp.test", before);
    expect(sent.subject).toBe("Reset your RootAPI password");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mail.mails.slice(before).map((m) => m.to)).toEqual([["forgetful@corp.test"]]);
    const token = linkIn(sent, PUBLIC_URL).searchParams.get("token")!;

    const form = await stranger.request(`/reset-password?token=${encodeURIComponent(token)}`);
    expect(await form.text()).toContain("Set new password");
    const bogus = await stranger.request("/reset-password?token=not-a-real-token-at-all-000000");
    expect(await bogus.text()).toContain("This link is invalid or has expired.");

    const short = await stranger.json("/api/password/reset", "POST", { token, password: "short" });
    expect((await short.json()).error.code).toBe("weak_password");
    const reset = await stranger.json("/api/password/reset", "POST", { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(200);

    expect(await status(owner)).toBe(401);
    expect(await new PortalClient(server.url).signIn("forgetful@corp.test", PASSWORD)).toBe("invalid_credentials");
    expect(await new PortalClient(server.url).signIn("forgetful@corp.test", NEW_PASSWORD)).toBeNull();
    const reused = await stranger.json("/api/password/reset", "POST", { token, password: "third horse battery" });
    expect((await reused.json()).error.code).toBe("invalid_token");
    // Following the link proved the mailbox.
    expect((await db.user.findUniqueOrThrow({ where: { email: "forgetful@corp.test" } })).emailVerified).not.toBeNull();
  });

  it("refuses expired reset links", async () => {
    await member(server.url, "late@corp.test");
    const before = mail.mails.length;
    await new PortalClient(server.url).json("/api/password/forgot", "POST", { email: "late@corp.test" });
    const token = linkIn(await mail.next("late@corp.test", before), PUBLIC_URL).searchParams.get("token")!;
    await db.emailToken.updateMany({ where: { purpose: "reset" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await new PortalClient(server.url).json("/api/password/reset", "POST", { token, password: NEW_PASSWORD });
    expect((await expired.json()).error.code).toBe("invalid_token");
  });

  it("ends the session at sign-out: a copied cookie no longer works", async () => {
    const user = await member(server.url, "leaver@corp.test");
    const copied = user.cookieHeader();
    expect((await fetch(`${server.url}/api/keys`, { headers: { cookie: copied } })).status).toBe(200);
    const out = await user.signOut();
    expect(out.status).toBe(302);
    expect((await fetch(`${server.url}/api/keys`, { headers: { cookie: copied } })).status).toBe(401);
    const page = await fetch(`${server.url}/dashboard`, { headers: { cookie: copied }, redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/sign-in");
    // Signing in again starts a new session.
    expect(await user.signIn("leaver@corp.test", PASSWORD)).toBeNull();
    expect(await status(user)).toBe(200);
  });

  it("signs out everywhere, and a password change ends the other sessions only", async () => {
    const laptop = await member(server.url, "traveller@corp.test");
    const phone = new PortalClient(server.url);
    expect(await phone.signIn("traveller@corp.test", PASSWORD)).toBeNull();

    const wrong = await laptop.json("/api/account/password", "POST", { currentPassword: "not it at all", newPassword: NEW_PASSWORD });
    expect((await wrong.json()).error).toMatchObject({ code: "wrong_password", field: "currentPassword" });
    const changed = await laptop.json("/api/account/password", "POST", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(await status(laptop)).toBe(200);
    expect(await status(phone)).toBe(401);

    expect(await phone.signIn("traveller@corp.test", NEW_PASSWORD)).toBeNull();
    const everywhere = await laptop.request("/api/account/sessions", { method: "DELETE" });
    expect(await everywhere.json()).toEqual({ ended: 2 });
    expect(await status(laptop)).toBe(401);
    expect(await status(phone)).toBe(401);
    const account = await laptop.request("/account");
    expect(account.status).toBe(307);
  });

  it("ends a disabled user's sessions for good", async () => {
    const admin = new PortalClient(server.url);
    expect(await admin.signIn("founder@corp.test", PASSWORD)).toBeNull();
    const user = await member(server.url, "misbehaving@corp.test");
    const { id } = await db.user.findUniqueOrThrow({ where: { email: "misbehaving@corp.test" } });
    expect((await admin.json(`/api/admin/users/${id}`, "PATCH", { disabled: true })).status).toBe(200);
    expect(await status(user)).toBe(401);
    expect((await admin.json(`/api/admin/users/${id}`, "PATCH", { disabled: false })).status).toBe(200);
    expect(await status(user)).toBe(401);
  });

  it("throttles per account and address: a stranger elsewhere cannot lock the owner out", async () => {
    await member(server.url, "target@corp.test");
    for (let i = 0; i < 6; i++) await new PortalClient(server.url, { localAddress: "127.0.3.1" }).signIn("target@corp.test", `guess ${i}`);
    expect(await new PortalClient(server.url, { localAddress: "127.0.3.1" }).signIn("target@corp.test", PASSWORD)).toBe("too_many_attempts");
    // The owner, at their own address, still gets in (after the growing delay, not a lock).
    expect(await new PortalClient(server.url).signIn("target@corp.test", PASSWORD)).toBeNull();
  });

  it("accepts legacy bcrypt hashes and renews them as scrypt at sign-in", async () => {
    await db.user.create({ data: { email: "veteran@corp.test", passwordHash: bcrypt.hashSync(PASSWORD, 10) } });
    expect(await new PortalClient(server.url).signIn("veteran@corp.test", PASSWORD)).toBeNull();
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { email: "veteran@corp.test" } });
    expect(passwordHash).toMatch(/^scrypt\$/);
    expect(await new PortalClient(server.url).signIn("veteran@corp.test", PASSWORD)).toBeNull();
  });

  it("validates sign-up field lengths", async () => {
    const client = new PortalClient(server.url);
    const longName = await client.json("/api/signup", "POST", { email: "named@corp.test", password: PASSWORD, name: "n".repeat(101) });
    expect((await longName.json()).error).toMatchObject({ code: "name_too_long", field: "name" });
    const longEmail = await client.json("/api/signup", "POST", { email: `${"a".repeat(250)}@corp.test`, password: PASSWORD });
    expect((await longEmail.json()).error).toMatchObject({ code: "invalid_email", field: "email" });
    const objectPassword = await client.json("/api/signup", "POST", { email: "typed@corp.test", password: { length: 9 } });
    expect((await objectPassword.json()).error).toMatchObject({ code: "weak_password" });
  });
});

describe.each(await databaseProviders())("a fresh install on %s", (provider) => {
  let server: RunningServer;
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase(provider);
    drop = database.drop;
    // No SMTP here: sign-up works, nothing that needs a verified address is granted.
    server = await startServer(database.url, { SIGNUP_LIMIT_PER_ADDRESS: "3", SMTP_URL: "", ADMIN_EMAIL: "boss@corp.test" });
    db = createDb(database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await drop?.();
  });

  it("makes exactly one admin out of 10 concurrent first sign-ups", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => new PortalClient(server.url, { localAddress: `127.0.1.${i + 1}` }).signUp(`racer${i}@corp.test`, PASSWORD)),
    );
    const bodies = (await Promise.all(results.map((r) => r.json()))) as Array<{ role: string }>;
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(bodies.filter((b) => b.role === "ADMIN")).toHaveLength(1);
    expect(await db.user.count({ where: { role: "ADMIN" } })).toBe(1);
  });

  it("without mail, ADMIN_EMAIL grants nothing and the mail actions say why", async () => {
    const boss = new PortalClient(server.url, { localAddress: "127.0.2.9" });
    expect(await (await boss.signUp("boss@corp.test", PASSWORD)).json()).toMatchObject({ role: "USER" });
    expect(await boss.signIn("boss@corp.test", PASSWORD)).toBeNull();
    const resend = await boss.request("/api/account/verify-email", { method: "POST" });
    expect(resend.status).toBe(503);
    expect((await resend.json()).error.code).toBe("mail_not_configured");
    expect((await boss.json("/api/password/forgot", "POST", { email: "boss@corp.test" })).status).toBe(503);
    expect(await status(boss, "/api/admin/users")).toBe(403);
  });

  it("limits sign-ups per address with a readable 429", async () => {
    const here = new PortalClient(server.url, { localAddress: "127.0.2.1" });
    for (let i = 0; i < 3; i++) expect((await here.signUp(`burst${i}@corp.test`, PASSWORD)).status).toBe(201);
    const refused = await here.signUp("burst3@corp.test", PASSWORD);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: "too_many_signups", message: "Too many sign-ups from your network. Try again in a few minutes." });
    expect((await new PortalClient(server.url, { localAddress: "127.0.2.2" }).signUp("burst3@corp.test", PASSWORD)).status).toBe(201);
  });
});
