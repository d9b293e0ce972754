import { describe, expect, it } from "vitest";
import { apiKeyPrefix, generateApiKey, hashApiKey, looksLikeApiKey, randomBase62 } from "@/lib/keys/api-key";
import { apiKeyStatus } from "@/lib/keys/keys";

describe("API keys", () => {
  it("have the sk- shape with at least 192 bits of randomness", () => {
    const key = generateApiKey();
    expect(looksLikeApiKey(key)).toBe(true);
    expect((key.length - 3) * Math.log2(62)).toBeGreaterThanOrEqual(192);
    expect(new Set(Array.from({ length: 1000 }, generateApiKey)).size).toBe(1000);
  });

  it("use every base62 character about equally often (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (const c of randomBase62(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(200);
  });

  it("are stored as a SHA-256 hash and shown as a short prefix", () => {
    const key = "sk-" + "a".repeat(39) + "WXYZ";
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key);
    expect(apiKeyPrefix(key)).toBe("sk-aaaa…WXYZ");
  });

  it("report their status", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(apiKeyStatus({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(apiKeyStatus({ revokedAt: null, expiresAt: new Date("2025-12-31T00:00:00Z") }, now)).toBe("expired");
    expect(apiKeyStatus({ revokedAt: new Date("2025-06-01T00:00:00Z"), expiresAt: null }, now)).toBe("revoked");
  });
});
