import { describe, expect, it } from "vitest";
import { MemoryAttemptStore, SignInThrottle } from "@/lib/auth/throttle";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { hashPassword, validatePassword, verifyPassword } from "@/lib/auth/password";

describe("sign-in throttle", () => {
  const options = { maxPerAccount: 3, maxPerAddress: 5, windowMs: 60_000 };

  it("blocks an account after repeated failures until the window passes", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    for (let i = 0; i < 3; i++) throttle.fail("a@x.co", "1.1.1.1", 1000 + i);
    expect(throttle.isBlocked("a@x.co", "2.2.2.2", 2000)).toBe(true);
    expect(throttle.isBlocked("b@x.co", "2.2.2.2", 2000)).toBe(false);
    expect(throttle.isBlocked("a@x.co", "2.2.2.2", 61_003)).toBe(false);
  });

  it("blocks an address that tries many accounts", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    for (let i = 0; i < 5; i++) throttle.fail(`u${i}@x.co`, "9.9.9.9", 1000);
    expect(throttle.isBlocked("fresh@x.co", "9.9.9.9", 1001)).toBe(true);
  });

  it("a success clears the account's failures", () => {
    const throttle = new SignInThrottle(new MemoryAttemptStore(), options);
    throttle.fail("a@x.co", "1.1.1.1", 1000);
    throttle.fail("a@x.co", "1.1.1.1", 1001);
    throttle.succeed("a@x.co");
    throttle.fail("a@x.co", "1.1.1.1", 1002);
    expect(throttle.isBlocked("a@x.co", "3.3.3.3", 1003)).toBe(false);
  });
});

describe("passwords", () => {
  it("enforce length limits with a clear message", () => {
    expect(() => validatePassword("short")).toThrow("at least 8 characters");
    expect(() => validatePassword("é".repeat(40))).toThrow("at most 72 bytes");
    expect(() => validatePassword("long enough")).not.toThrow();
  });

  it("are hashed with bcrypt and verified", async () => {
    const hash = await hashPassword("long enough");
    expect(hash).toMatch(/^\$2[aby]\$12\$/);
    expect(await verifyPassword("long enough", hash)).toBe(true);
    expect(await verifyPassword("long enougH", hash)).toBe(false);
  });
});

describe("callback URLs", () => {
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
