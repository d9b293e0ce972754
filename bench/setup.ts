/**
 * The benchmark's world, built with the app's own lib functions: a throwaway database (SQLite in a
 * temp dir, or a temp PostgreSQL database), one user with a large balance, one key with (very
 * high) RPM/TPM limits so the limiter runs, an `openai` channel and an `anthropic` channel pointing
 * at the fake upstream (one model each) and a non-zero price for both models — so every request
 * really holds funds, writes a USAGE ledger entry and a log row.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../lib/db/client";
import { onCleanup } from "./cleanup";

/** Served by the `openai` channel (Chat Completions; /v1/messages requests for it are translated). */
export const MODEL = "bench-model";
/** Served by the `anthropic` channel (/v1/messages relayed natively; the name goes up unchanged). */
export const MESSAGES_MODEL = "bench-claude";
/** Micro-dollars per 1M tokens: $2.50 in, $10 out. */
const INPUT_PRICE = 2_500_000n;
const OUTPUT_PRICE = 10_000_000n;
/** $1,000,000 of balance: holds of ~$0.04 each never run out. */
const BALANCE = 1_000_000n * 1_000_000n;
const LIMIT = 1_000_000_000;

export type Provider = "sqlite" | "postgresql";

export interface World {
  provider: Provider;
  /** Environment for the gateway processes: same database, data dir and secrets as this process. */
  env: NodeJS.ProcessEnv;
  db: Db;
  apiKey: string;
  userId: string;
  keyId: string;
  /** The `openai` channel's model. */
  model: string;
  /** The `anthropic` channel's model. */
  messagesModel: string;
}

export function postgresServerUrl(): string {
  return process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

export async function createWorld(provider: Provider, upstreamUrl: string): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rootapi-bench-"));
  onCleanup("remove the temp dir", () => rmSync(dir, { recursive: true, force: true }));

  // Before any lib code runs: the channel key is encrypted here and decrypted by the server.
  process.env.ROOTAPI_ENCRYPTION_KEY = randomBytes(32).toString("hex");
  process.env.AUTH_SECRET = randomBytes(32).toString("base64url");
  process.env.ROOTAPI_DATA_DIR = dir;

  let databaseUrl = `file:${path.join(dir, "bench.db")}`;
  if (provider === "postgresql") {
    const { adminQuery, withDatabase } = await import("../lib/db/adapters");
    const server = postgresServerUrl();
    const name = `rootapi_bench_${randomBytes(6).toString("hex")}`;
    await adminQuery(server, `CREATE DATABASE "${name}"`);
    onCleanup("drop the temp PostgreSQL database", () => adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    databaseUrl = withDatabase(server, name);
  }
  process.env.DATABASE_URL = databaseUrl;

  const { migrate } = await import("../lib/db/migrate");
  const { createDb, LedgerKind } = await import("../lib/db/client");
  const { createUser } = await import("../lib/users/users");
  const { appendLedgerEntry } = await import("../lib/billing/ledger");
  const { createApiKey } = await import("../lib/keys/keys");
  const { addChannel } = await import("../lib/channels/channels");
  const { setModelPrice } = await import("../lib/prices/prices");

  await migrate(databaseUrl);
  const db = createDb(databaseUrl);
  onCleanup("disconnect from the database", () => db.$disconnect());

  const user = await createUser(db, { email: "bench@example.com", password: "benchmark password" });
  await appendLedgerEntry(db, { userId: user.id, kind: LedgerKind.ADJUSTMENT, amount: BALANCE, idempotencyKey: `bench-credit:${user.id}`, note: "benchmark" });
  const { key, record } = await createApiKey(db, user.id, { name: "bench", rpmLimit: LIMIT, tpmLimit: LIMIT });
  await addChannel(db, { name: "bench-upstream", type: "openai", baseUrl: upstreamUrl, apiKey: "sk-bench-upstream", models: [MODEL] });
  // Anthropic's base URL is an origin: the gateway calls <origin>/v1/messages.
  await addChannel(db, { name: "bench-anthropic", type: "anthropic", baseUrl: new URL(upstreamUrl).origin, apiKey: "sk-ant-bench-upstream", models: [MESSAGES_MODEL] });
  await setModelPrice(db, { model: MODEL, inputPrice: INPUT_PRICE, outputPrice: OUTPUT_PRICE });
  await setModelPrice(db, { model: MESSAGES_MODEL, inputPrice: INPUT_PRICE, outputPrice: OUTPUT_PRICE });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ROOTAPI_DATA_DIR: dir,
    ROOTAPI_ENCRYPTION_KEY: process.env.ROOTAPI_ENCRYPTION_KEY,
    AUTH_SECRET: process.env.AUTH_SECRET,
  };
  return { provider, env, db, apiKey: key, userId: user.id, keyId: record.id, model: MODEL, messagesModel: MESSAGES_MODEL };
}

export interface Expected {
  /** Responses the load generator got from the gateway (any status). */
  responses: number;
  /** …of which 2xx. */
  ok: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Verification {
  ok: boolean;
  waitedMs: number;
  counts: {
    requestLogs: number;
    requestLogs2xx: number;
    usageEntries: number;
    balance: string;
    ledgerSum: string;
    userHeld: string;
    keyHeld: string;
    keySpent: string;
    usageSum: string;
    loggedCost: string;
  };
  checks: Check[];
}

/**
 * Waits for the settlement (and the idle lease's return) to catch up with `expected`, then checks that every
 * request was logged and every successful one billed exactly once, and that the money adds up.
 */
export async function verify(world: World, expected: Expected, timeoutMs = 20_000): Promise<Verification> {
  const { db, userId, keyId } = world;
  const { LedgerKind } = await import("../lib/db/client");
  const started = Date.now();
  for (;;) {
    const [logs, user] = await Promise.all([db.requestLog.count(), db.user.findUniqueOrThrow({ where: { id: userId }, select: { held: true } })]);
    if ((logs >= expected.responses && user.held === 0n) || Date.now() - started > timeoutMs) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const waitedMs = Date.now() - started;

  const [requestLogs, requestLogs2xx, usageEntries, user, key, ledger, usage, logged] = await Promise.all([
    db.requestLog.count(),
    db.requestLog.count({ where: { status: { gte: 200, lt: 300 } } }),
    db.ledgerEntry.count({ where: { kind: LedgerKind.USAGE } }),
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { balance: true, held: true } }),
    db.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { spent: true, held: true } }),
    db.ledgerEntry.aggregate({ where: { userId }, _sum: { amount: true } }),
    db.ledgerEntry.aggregate({ where: { kind: LedgerKind.USAGE }, _sum: { amount: true } }),
    db.requestLog.aggregate({ _sum: { cost: true } }),
  ]);
  const ledgerSum = ledger._sum.amount ?? 0n;
  const usageSum = usage._sum.amount ?? 0n;
  const loggedCost = logged._sum.cost ?? 0n;
  const n = (v: number) => v.toLocaleString("en-US");
  const checks: Check[] = [
    { name: "a RequestLog row per response", ok: requestLogs === expected.responses, detail: `${n(requestLogs)} rows for ${n(expected.responses)} responses` },
    { name: "2xx rows = 2xx responses", ok: requestLogs2xx === expected.ok, detail: `${n(requestLogs2xx)} rows for ${n(expected.ok)} responses` },
    { name: "a USAGE ledger entry per 2xx response", ok: usageEntries === expected.ok, detail: `${n(usageEntries)} entries for ${n(expected.ok)} responses` },
    { name: "balance = sum of the ledger", ok: user.balance === ledgerSum, detail: `${user.balance} = ${ledgerSum} µ$` },
    { name: "no funds left held", ok: user.held === 0n && key.held === 0n, detail: `user ${user.held}, key ${key.held} µ$` },
    {
      name: "key spent = USAGE debits = logged cost",
      ok: key.spent === -usageSum && key.spent === loggedCost && key.spent > 0n,
      detail: `${key.spent} / ${-usageSum} / ${loggedCost} µ$`,
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    waitedMs,
    counts: {
      requestLogs,
      requestLogs2xx,
      usageEntries,
      balance: String(user.balance),
      ledgerSum: String(ledgerSum),
      userHeld: String(user.held),
      keyHeld: String(key.held),
      keySpent: String(key.spent),
      usageSum: String(usageSum),
      loggedCost: String(loggedCost),
    },
    checks,
  };
}
