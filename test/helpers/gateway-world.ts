import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { createDb, LedgerKind, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { appendLedgerEntry } from "@/lib/billing/ledger";
import { addChannel, type NewChannel } from "@/lib/channels/channels";
import { createApiKey, type NewApiKey } from "@/lib/keys/keys";
import { setModelPrice } from "@/lib/prices/prices";
import { createUser } from "@/lib/users/users";
import { createTestDatabase } from "./databases";
import { startServer, type RunningServer, type StartOptions } from "./server";

// The test process writes encrypted channel keys the server must read: both use these secrets.
process.env.ROOTAPI_ENCRYPTION_KEY ||= randomBytes(32).toString("hex");
process.env.AUTH_SECRET ||= randomBytes(32).toString("base64url");

/** A database with users, keys, channels and prices, and a real server on it. */
export class GatewayWorld {
  server!: RunningServer;
  db!: Db;
  private dropDatabase!: () => Promise<void>;
  private users = 0;

  /** A fresh database (on `serverUrl` for PostgreSQL: the test server by default), migrated. */
  async setUp(provider: "sqlite" | "postgresql", serverUrl?: string): Promise<void> {
    const database = await createTestDatabase(provider, serverUrl);
    this.dropDatabase = database.drop;
    await migrate(database.url);
    this.db = createDb(database.url);
    this.url = database.url;
  }

  url = "";

  async start(env: Record<string, string> = {}, options: StartOptions = {}): Promise<void> {
    this.server = await startServer(this.url, env, options);
  }

  async tearDown(): Promise<void> {
    await this.server?.stop();
    await this.db?.$disconnect();
    await this.dropDatabase?.();
  }

  /** A user with `usd` micro-dollars of balance and one key. */
  async user(balance: bigint, key: Partial<NewApiKey> = {}) {
    const user = await createUser(this.db, { email: `user${++this.users}-${Date.now()}@example.com`, password: "long enough pw" });
    if (balance !== 0n) {
      await appendLedgerEntry(this.db, { userId: user.id, kind: LedgerKind.ADJUSTMENT, amount: balance, idempotencyKey: `test-credit:${user.id}` });
    }
    const { key: apiKey, record } = await createApiKey(this.db, user.id, { name: "test", ...key });
    return { user, apiKey, keyId: record.id };
  }

  channel(input: Partial<NewChannel> & { name: string; models: string[] }) {
    return addChannel(this.db, { type: "openai", ...input });
  }

  price(model: string, inputUsdPer1M: bigint, outputUsdPer1M: bigint, cached: bigint | null = null) {
    return setModelPrice(this.db, { model, inputPrice: inputUsdPer1M, outputPrice: outputUsdPer1M, cachedInputPrice: cached });
  }

  client(apiKey: string, options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${this.server.url}/v1`, maxRetries: 0, timeout: 30_000, ...options });
  }

  async balance(userId: string): Promise<{ balance: bigint; held: bigint; ledgerSum: bigint }> {
    const user = await this.db.user.findUniqueOrThrow({ where: { id: userId } });
    const sum = await this.db.ledgerEntry.aggregate({ where: { userId }, _sum: { amount: true } });
    return { balance: user.balance, held: user.held, ledgerSum: sum._sum.amount ?? 0n };
  }

  /** A successful answer's row is committed before its last bytes, an error's just behind it: wait until the request's log row exists. */
  async logOf(requestId: string, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.db.requestLog.findUnique({ where: { id: requestId } });
      if (row) return row;
      if (Date.now() > deadline) throw new Error(`No RequestLog row for ${requestId} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
