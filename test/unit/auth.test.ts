import { describe, expect, it } from "vitest";
import { MemoryAttemptStore, SignInThrottle } from "@/lib/auth/throttle";
import { authPageHref, safeCallbackUrl } from "@/lib/auth/callback-url";
import { pagePathOf } from "@/lib/auth/page-path-header";
import { hashPassword, needsRehash, validatePassword, verifyPassword } from "@/lib/auth/password";
import { scryptHash } from "@/lib/auth/scrypt-hash";
import { SignupLimiter, signupLimitsFromEnv } from "@/lib/auth/signup-limit";
import { clientAddressFrom, trustedProxyHops } from "@/lib/auth/client-ip";
import bcrypt from "bcryptjs";
import os from "node:os";
import { takeMailQuota } from "@/lib/mail/quota";
import { slotCount, withHashSlot } from "@/lib/auth/hash-slots";

describe("sign-in throttle", () => {
  const options = { maxPerPair: 3, maxPerAddress: 5, windowMs: 60_000, slowAfter: 2, baseDelayMs: 100, maxDelayMs: 1000 };

  it("locks an account only for the address that keeps failing, until the window passes", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    for (let i = 0; i < 3; i++) throttle.fail("a@x.co", "1.1.1.1", 1000 + i);
    expect(throttle.isBlocked("a@x.co", "1.1.1.1", 2000)).toBe(true);
    // A stranger's failures never lock the owner out at another address (this was the bug).
    expect(throttle.isBlocked("a@x.co", "2.2.2.2", 2000)).toBe(false);
    expect(throttle.isBlocked("b@x.co", "1.1.1.1", 2000)).toBe(false);
    expect(throttle.isBlocked("a@x.co", "1.1.1.1", 61_003)).toBe(false);
  });

  it("slows an account's sign-ins down more with each failure from anywhere, up to a cap", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    expect(throttle.delayMs("a@x.co", 1000)).toBe(0);
    throttle.fail("a@x.co", "1.1.1.1", 1000);
    throttle.fail("a@x.co", "2.2.2.2", 1000);
    expect(throttle.delayMs("a@x.co", 1001)).toBe(100);
    throttle.fail("a@x.co", "3.3.3.3", 1000);
    expect(throttle.delayMs("a@x.co", 1001)).toBe(200);
    for (let i = 0; i < 10; i++) throttle.fail("a@x.co", `4.4.4.${i}`, 1000);
    expect(throttle.delayMs("a@x.co", 1001)).toBe(1000);
    expect(throttle.delayMs("b@x.co", 1001)).toBe(0);
    expect(throttle.delayMs("a@x.co", 61_001)).toBe(0);
  });

  it("blocks an address that tries many accounts", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    for (let i = 0; i < 5; i++) throttle.fail(`u${i}@x.co`, "9.9.9.9", 1000);
    expect(throttle.isBlocked("fresh@x.co", "9.9.9.9", 1001)).toBe(true);
    expect(throttle.isBlocked("fresh@x.co", "8.8.8.8", 1001)).toBe(false);
  });

  it("a success clears that address's lock and the account's slow-down", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    throttle.fail("a@x.co", "1.1.1.1", 1000);
    throttle.fail("a@x.co", "1.1.1.1", 1001);
    throttle.succeed("a@x.co", "1.1.1.1");
    throttle.fail("a@x.co", "1.1.1.1", 1002);
    expect(throttle.isBlocked("a@x.co", "1.1.1.1", 1003)).toBe(false);
    expect(throttle.delayMs("a@x.co", 1003)).toBe(0);
  });

  it("forgets old entries, so many addresses cannot grow the store forever", () => {
    const store = new MemoryAttemptStore(60_000);
    for (let i = 0; i < 999; i++) store.recordFailure(`k${i}`, 0);
    store.recordFailure("late", 120_000); // the 1000th record sweeps
    expect(store.size).toBe(1);
  });
});

describe("sign-up limits", () => {
  const limits = { perAddress: 2, global: 3, windowMs: 60_000 };

  it("allow a few sign-ups per address, then answer 429", () => {
    const limiter = new SignupLimiter(limits);
    limiter.take("1.1.1.1", 0);
    limiter.take("1.1.1.1", 1);
    expect(() => limiter.take("1.1.1.1", 2)).toThrow(expect.objectContaining({ status: 429, code: "too_many_signups" }));
    limiter.take("1.1.1.1", 60_001);
  });

  it("cap the whole server too", () => {
    const limiter = new SignupLimiter(limits);
    limiter.take("1.1.1.1", 0);
    limiter.take("2.2.2.2", 0);
    limiter.take("3.3.3.3", 0);
    expect(() => limiter.take("4.4.4.4", 1)).toThrow(expect.objectContaining({ status: 429, code: "signups_busy" }));
  });

  it("read their settings from the environment, ignoring nonsense", () => {
    expect(signupLimitsFromEnv({})).toEqual({ perAddress: 5, global: 100, windowMs: 600_000 });
    expect(signupLimitsFromEnv({ SIGNUP_LIMIT_PER_ADDRESS: "50", SIGNUP_LIMIT_GLOBAL: "x", SIGNUP_LIMIT_WINDOW_MINUTES: "0" })).toEqual({ perAddress: 50, global: 100, windowMs: 600_000 });
  });
});

describe("account mail quota", () => {
  it("lets three mails of a kind per account out per hour", () => {
    for (let i = 0; i < 3; i++) expect(takeMailQuota("reset:u1", 1000 + i)).toBe(true);
    expect(takeMailQuota("reset:u1", 2000)).toBe(false);
    expect(takeMailQuota("verify:u1", 2000)).toBe(true);
    expect(takeMailQuota("reset:u1", 3_601_001)).toBe(true);
  });
});

describe("client address behind proxies", () => {
  it("parses TRUST_PROXY as a number of hops; true means one; anything else none", () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ TRUST_PROXY: "1" })).toBe(1);
    expect(trustedProxyHops({ TRUST_PROXY: "true" })).toBe(1);
    expect(trustedProxyHops({ TRUST_PROXY: " 2 " })).toBe(2);
    for (const value of ["0", "false", "yes", "-1", "1.5", ""]) expect(trustedProxyHops({ TRUST_PROXY: value }), value).toBe(0);
  });

  it("takes the entry the nearest trusted proxy saw, not the client-controlled leftmost one", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the one proxy appended the real peer 203.0.113.9.
    expect(clientAddressFrom("10.0.0.2", "6.6.6.6, 203.0.113.9", 1)).toBe("203.0.113.9");
    // Two proxies: the outer one appended the client, the inner one appended the outer proxy.
    expect(clientAddressFrom("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2)).toBe("203.0.113.9");
    // Several headers are one list.
    expect(clientAddressFrom("10.0.0.3", ["6.6.6.6", "203.0.113.9, 10.0.0.2"], 2)).toBe("203.0.113.9");
  });

  it("ignores the header without trusted proxies and copes with short or empty lists", () => {
    expect(clientAddressFrom("198.51.100.7", "6.6.6.6", 0)).toBe("198.51.100.7");
    expect(clientAddressFrom("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(clientAddressFrom("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
    expect(clientAddressFrom("10.0.0.2", "203.0.113.9", 3)).toBe("203.0.113.9");
    expect(clientAddressFrom(undefined, undefined, 0)).toBe("unknown");
  });
});

describe("passwords", () => {
  it("enforce length limits with a clear message", () => {
    expect(() => validatePassword("short")).toThrow("at least 8 characters");
    expect(() => validatePassword("é".repeat(40))).toThrow("at most 72 bytes");
    expect(() => validatePassword(12345678)).toThrow("at least 8 characters");
    expect(() => validatePassword("long enough")).not.toThrow();
  });

  it("are hashed with scrypt in a self-describing format and verified", async () => {
    const hash = await hashPassword("long enough");
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword("long enough", hash)).toBe(true);
    expect(await verifyPassword("long enougH", hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword("long enough", "scrypt$99999999999$8$1$c2FsdA==$aGFzaA==")).toBe(false);
    expect(await verifyPassword("long enough", "plain text")).toBe(false);
  });

  it("hash without blocking the event loop", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await Promise.all([hashPassword("one password"), hashPassword("two password")]);
    clearInterval(timer);
    // bcryptjs on the main thread let no timer run for hundreds of milliseconds.
    expect(ticks).toBeGreaterThan(5);
  });

  it("run a bounded number of hashes at once, so hashing leaves a core to the event loop", async () => {
    let running = 0;
    let most = 0;
    const task = () =>
      withHashSlot(async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
      });
    await Promise.all(Array.from({ length: 8 }, task));
    expect(most).toBe(Math.min(8, slotCount()));
    expect(slotCount()).toBe(Math.max(1, os.availableParallelism() - 1));
  });

  it("still accept legacy bcrypt hashes (checked in a worker) and mark them for renewal", async () => {
    const legacy = bcrypt.hashSync("long enough", 4);
    expect(await verifyPassword("long enough", legacy)).toBe(true);
    expect(await verifyPassword("wrong guess", legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(await scryptHash("x", { N: 1024, r: 8, p: 1 }))).toBe(true);
  });

  it("check legacy bcrypt hashes off the main thread", async () => {
    const legacy = bcrypt.hashSync("long enough", 12);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    expect(await verifyPassword("long enough", legacy)).toBe(true);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});

describe("callback URLs", () => {
  it("builds the sign-in and sign-up links that come back to a page", () => {
    expect(authPageHref("/sign-in", "/usage?x=1")).toBe("/sign-in?callbackUrl=%2Fusage%3Fx%3D1");
    expect(authPageHref("/sign-up", "/docs/chat-completions")).toBe("/sign-up?callbackUrl=%2Fdocs%2Fchat-completions");
    // The default needs no parameter; foreign or missing targets are dropped, never followed.
    for (const plain of ["/dashboard", "https://evil.example", "//evil.example", null, undefined]) expect(authPageHref("/sign-in", plain)).toBe("/sign-in");
  });

  it("reads a page's path and query without the router's internal parameters", () => {
    expect(pagePathOf(new URL("http://h/admin/users"))).toBe("/admin/users");
    expect(pagePathOf(new URL("http://h/usage?x=1&_rsc=abc&y=%2F"))).toBe("/usage?x=1&y=%2F");
    expect(pagePathOf(new URL("http://h/keys?_rsc=1"))).toBe("/keys");
  });

  it("follow only same-site paths", () => {
    expect(safeCallbackUrl("/keys")).toBe("/keys");
    expect(safeCallbackUrl(["/usage", "/x"])).toBe("/usage");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "", undefined, null]) expect(safeCallbackUrl(bad)).toBe("/dashboard");
  });
});

describe("ADMIN_EMAIL", () => {
  it("names one administrator or a comma-separated list, in any case", async () => {
    const { isListedAdmin } = await import("@/lib/users/users");
    const previous = process.env.ADMIN_EMAIL;
    try {
      process.env.ADMIN_EMAIL = "Ops@Example.com";
      expect(isListedAdmin("ops@example.com")).toBe(true);
      expect(isListedAdmin("dev@example.com")).toBe(false);
      process.env.ADMIN_EMAIL = " ops@example.com , Root@example.com ,";
      expect(isListedAdmin("root@example.com")).toBe(true);
      expect(isListedAdmin("ops@example.com")).toBe(true);
      expect(isListedAdmin("")).toBe(false);
      delete process.env.ADMIN_EMAIL;
      expect(isListedAdmin("ops@example.com")).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.ADMIN_EMAIL;
      else process.env.ADMIN_EMAIL = previous;
    }
  });
});
