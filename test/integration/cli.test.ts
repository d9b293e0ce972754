import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../helpers/databases";
import { databaseProviders } from "../helpers/database-matrix";
import { runCli, testEnv } from "../helpers/server";
import { createDb, type Db } from "@/lib/db/client";
import { hashApiKey } from "@/lib/keys/api-key";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { loadSecretsFrom } from "../helpers/secrets";
import { toJson } from "@/lib/http/json";
import { verifyPassword } from "@/lib/auth/password";

describe.each(await databaseProviders())("admin CLI on %s", (provider) => {
  let env: NodeJS.ProcessEnv;
  let db: Db;
  let dataDir: string;
  let drop: () => Promise<void>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    const database = await createTestDatabase(provider);
    drop = database.drop;
    dataDir = mkdtempSync(path.join(os.tmpdir(), "rootapi-cli-"));
    env = testEnv(database.url, dataDir);
    const migrated = await cli("db", "migrate");
    expect(migrated.code, migrated.stderr).toBe(0);
    db = createDb(database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("db migrate is idempotent", async () => {
    const again = await cli("db", "migrate");
    expect(again.code).toBe(0);
    expect(again.value).toBe("Database is up to date");
  });

  it("creates users, credits exactly and prints the balance alone on the last line", async () => {
    const created = await cli("user", "create", "--email", "ops@example.com", "--password", "long enough pw", "--admin");
    expect(created.code, created.stderr).toBe(0);
    const user = await db.user.findUniqueOrThrow({ where: { email: "ops@example.com" } });
    expect(created.value).toBe(user.id);
    expect(user.role).toBe("ADMIN");
    expect(user.passwordHash).toMatch(/^scrypt\$/);

    expect((await cli("balance", "--email", "ops@example.com")).value).toBe("0.000000");
    expect((await cli("credit", "--email", "ops@example.com", "--usd", "10", "--note", "welcome")).value).toBe("10.000000");
    const debit = await cli("credit", "--email", "ops@example.com", "--usd", "-0.000118");
    expect(debit.code, debit.stderr).toBe(0);
    expect(debit.value).toBe("9.999882");
    const balance = await cli("balance", "--email", "ops@example.com");
    expect(balance.stdout.trimEnd().split("\n").at(-1)).toBe("9.999882");

    const entries = await db.ledgerEntry.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.kind, e.amount, e.balanceAfter, e.note])).toEqual([
      ["ADJUSTMENT", 10_000_000n, 10_000_000n, "welcome"],
      ["ADJUSTMENT", -118n, 9_999_882n, "CLI adjustment"],
    ]);
    expect((await cli("ledger", "verify")).code).toBe(0);
  });

  it("second user without --admin is a plain user", async () => {
    expect((await cli("user", "create", "--email", "dev@example.com", "--password", "long enough pw")).code).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } })).role).toBe("USER");
  });

  it("verifies an address (ADMIN_EMAIL then applies) and resets a password, ending its sessions", async () => {
    const verified = await runCli(["user", "verify", "--email", "DEV@example.com"], { ...env, ADMIN_EMAIL: "dev@example.com" });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.value).toBe("Verified dev@example.com (admin)");
    const dev = await db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } });
    expect(dev.emailVerified).not.toBeNull();
    expect(dev.role).toBe("ADMIN");
    await db.user.update({ where: { id: dev.id }, data: { role: "USER" } });

    await db.portalSession.create({ data: { userId: dev.id, tokenHash: "f".repeat(64), expiresAt: new Date(Date.now() + 3600_000) } });
    const reset = await cli("user", "reset-password", "--email", "dev@example.com", "--password", "brand new password");
    expect(reset.code, reset.stderr).toBe(0);
    const after = await db.user.findUniqueOrThrow({ where: { id: dev.id } });
    expect(after.passwordHash).not.toBe(dev.passwordHash);
    expect(await verifyPassword("brand new password", after.passwordHash!)).toBe(true);
    expect(await db.portalSession.count({ where: { userId: dev.id } })).toBe(0);

    // Without --password it reads one from the terminal or stdin; with neither it says so.
    const none = await cli("user", "reset-password", "--email", "dev@example.com");
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("No password given");
    const short = await cli("user", "reset-password", "--email", "dev@example.com", "--password", "short");
    expect(short.stderr).toContain("at least 8 characters");
  });

  it("creates keys with limits (only the hash stored) and revokes them", async () => {
    const created = await cli(
      "key", "create", "--email", "dev@example.com", "--name", "limited",
      "--rpm", "60", "--tpm", "100000", "--budget-usd", "2.5", "--models", "gpt-4o-mini, sandbox-chat", "--expires", "2099-01-01T00:00:00Z",
    );
    expect(created.code, created.stderr).toBe(0);
    const key = created.value;
    expect(key).toMatch(/^sk-[0-9A-Za-z]{43}$/);
    const record = await db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
    expect(record).toMatchObject({ name: "limited", rpmLimit: 60, tpmLimit: 100_000, budget: 2_500_000n, allowedModels: ["gpt-4o-mini", "sandbox-chat"] });
    expect(record.expiresAt?.toISOString()).toBe("2099-01-01T00:00:00.000Z");
    expect(toJson(await db.apiKey.findMany())).not.toContain(key);

    expect((await cli("key", "revoke", "--key", key)).code).toBe(0);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).revokedAt).not.toBeNull();
  });

  it("adds channels with the upstream key encrypted, and lists them", async () => {
    const added = await cli(
      "channel", "add", "--name", "local-vllm", "--type", "openai", "--base-url", "http://127.0.0.1:8000/v1/",
      "--api-key", "upstream-secret-123", "--models", "llama3,qwen", "--priority", "5", "--weight", "3", "--map", "llama3=meta-llama/Llama-3-8B",
    );
    expect(added.code, added.stderr).toBe(0);
    const channel = await db.channel.findUniqueOrThrow({ where: { id: added.value } });
    expect(channel).toMatchObject({ type: "openai", baseUrl: "http://127.0.0.1:8000/v1", priority: 5, weight: 3, models: ["llama3", "qwen"], modelMapping: { llama3: "meta-llama/Llama-3-8B" } });
    expect(channel.apiKeyEnc).not.toContain("upstream-secret-123");
    expect(decryptSecret(channel.apiKeyEnc!, loadSecretsFrom(dataDir).encryptionKey)).toBe("upstream-secret-123");

    const list = await cli("channel", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/local-vllm\s+openai\s+ENABLED\s+5\s+3\s+llama3,qwen/);
    expect(list.stdout).not.toContain("upstream-secret-123");
  });

  it("adds anthropic channels, the base URL defaulting to Anthropic's API origin", async () => {
    const added = await cli("channel", "add", "--name", "claude", "--type", "anthropic", "--api-key", "sk-ant-secret", "--models", "claude-fast,claude-smart", "--map", "claude-fast=claude-haiku-4-5");
    expect(added.code, added.stderr).toBe(0);
    expect(await db.channel.findUniqueOrThrow({ where: { id: added.value } })).toMatchObject({ type: "anthropic", baseUrl: "https://api.anthropic.com", models: ["claude-fast", "claude-smart"], modelMapping: { "claude-fast": "claude-haiku-4-5" } });

    const proxied = await cli("channel", "add", "--name", "claude-proxy", "--type", "anthropic", "--base-url", "http://127.0.0.1:9000/anthropic/", "--api-key", "k", "--models", "claude-smart");
    expect(proxied.code, proxied.stderr).toBe(0);
    expect((await db.channel.findUniqueOrThrow({ where: { id: proxied.value } })).baseUrl).toBe("http://127.0.0.1:9000/anthropic");

    // openai channels still need one.
    const missing = await cli("channel", "add", "--name", "no-url", "--type", "openai", "--models", "m");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("Base URL is required");
  });

  it("sets prices in exact micro-dollars per 1M tokens", async () => {
    const set = await cli("price", "set", "--model", "gpt-4o-mini", "--input", "0.15", "--output", "0.6", "--cached-input", "0.075");
    expect(set.code, set.stderr).toBe(0);
    expect(await db.modelPrice.findUniqueOrThrow({ where: { model: "gpt-4o-mini" } })).toMatchObject({ inputPrice: 150_000n, outputPrice: 600_000n, cachedInputPrice: 75_000n });
    expect((await cli("price", "set", "--model", "gpt-4o-mini", "--input", "2.5", "--output", "10")).code).toBe(0);
    expect(await db.modelPrice.findUniqueOrThrow({ where: { model: "gpt-4o-mini" } })).toMatchObject({ inputPrice: 2_500_000n, outputPrice: 10_000_000n, cachedInputPrice: null });
  });

  it("sets and lists prompt-cache write prices (5-minute and 1-hour) exactly", async () => {
    const set = await cli("price", "set", "--model", "claude-cache", "--input", "3", "--output", "15", "--cached-input", "0.3", "--cache-write", "3.75", "--cache-write-1h", "6.000001");
    expect(set.code, set.stderr).toBe(0);
    expect(set.value).toBe("Price for claude-cache: input $3.000000/1M, output $15.000000/1M, cached input $0.300000/1M, cache write $3.750000/1M, 1-hour cache write $6.000001/1M");
    expect(await db.modelPrice.findUniqueOrThrow({ where: { model: "claude-cache" } })).toMatchObject({
      inputPrice: 3_000_000n,
      outputPrice: 15_000_000n,
      cachedInputPrice: 300_000n,
      cacheWritePrice: 3_750_000n,
      cacheWrite1hPrice: 6_000_001n,
    });
    expect((await cli("price", "set", "--model", "plain-model", "--input", "1", "--output", "2", "--cache-write", "1.25")).code).toBe(0);
    expect(await db.modelPrice.findUniqueOrThrow({ where: { model: "plain-model" } })).toMatchObject({ cacheWritePrice: 1_250_000n, cacheWrite1hPrice: null });

    const list = await cli("price", "list");
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^MODEL\s+INPUT\s+OUTPUT\s+CACHED INPUT\s+CACHE WRITE\s+CACHE WRITE 1H\s+VISIBLE$/);
    expect(lines.find((l) => l.startsWith("claude-cache"))).toMatch(/^claude-cache\s+3\.000000\s+15\.000000\s+0\.300000\s+3\.750000\s+6\.000001\s+visible$/);
    expect(lines.find((l) => l.startsWith("plain-model"))).toMatch(/^plain-model\s+1\.000000\s+2\.000000\s+-\s+1\.250000\s+-\s+visible$/);

    // Setting a price again without the flags drops the cache-write rates (they fall back to input).
    expect((await cli("price", "set", "--model", "claude-cache", "--input", "3", "--output", "15")).code).toBe(0);
    expect(await db.modelPrice.findUniqueOrThrow({ where: { model: "claude-cache" } })).toMatchObject({ cacheWritePrice: null, cacheWrite1hPrice: null });
    for (const bad of [["--cache-write", "-1"], ["--cache-write-1h", "0.0000001"], ["--cache-write", "lots"]]) {
      const refused = await cli("price", "set", "--model", "claude-cache", "--input", "3", "--output", "15", ...bad);
      expect(refused.code, bad.join(" ")).not.toBe(0);
      expect(refused.stderr, bad.join(" ")).toMatch(/^error: /);
    }
    expect(await db.modelPrice.findUniqueOrThrow({ where: { model: "claude-cache" } })).toMatchObject({ cacheWritePrice: null, cacheWrite1hPrice: null });
  });

  it("fails with a non-zero code and one line on stderr, changing nothing", async () => {
    const cases: string[][] = [
      ["balance", "--email", "nobody@example.com"],
      ["user", "create", "--email", "ops@example.com", "--password", "long enough pw"],
      ["user", "create", "--email", "x@example.com", "--password", "short"],
      ["credit", "--email", "ops@example.com", "--usd", "1.0000001"],
      ["credit", "--email", "ops@example.com", "--usd", "ten"],
      ["key", "create", "--email", "dev@example.com", "--name", "k", "--rpm", "fast"],
      ["key", "revoke", "--key", "sk-doesnotexist"],
      ["channel", "add", "--name", "x", "--type", "carrier-pigeon", "--base-url", "http://x", "--models", "a"],
      ["price", "set", "--model", "m", "--input", "1"],
      ["balance", "--email", "ops@example.com", "--verbose"],
      ["frobnicate"],
    ];
    for (const args of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stderr, args.join(" ")).toMatch(/^error: /);
    }
    expect((await cli("balance", "--email", "ops@example.com")).value).toBe("9.999882");
    expect(await db.user.count()).toBe(2);
    // Twelve CLI processes one after another: seconds each on a busy 2-core machine.
  }, 240_000);
});
