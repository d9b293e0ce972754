/**
 * The few writes every /v1 request makes — reserving funds and settling them — done with the
 * database driver directly. They are the hot path: going through the ORM (query compilation,
 * per-call stack capture) cost several times more CPU than the rest of the gateway together.
 * Everything else keeps using Prisma.
 */
export interface UserSettlement {
  userId: string;
  cost: bigint;
  hold: bigint;
}

export interface KeySettlement {
  keyId: string;
  cost: bigint;
  hold: bigint;
  lastUsed: Date;
}

export interface UsageEntry {
  id: string;
  userId: string;
  /** Positive: what the request cost (booked as a negative amount). */
  cost: bigint;
  requestId: string;
  model: string | null;
  createdAt: Date;
}

export interface LogRow {
  id: string;
  userId: string | null;
  apiKeyId: string | null;
  channelId: string | null;
  model: string | null;
  upstreamModel: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  cost: bigint;
  estimated: boolean;
  latencyMs: number;
  ttfbMs: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
}

export interface SettleBatch {
  users: UserSettlement[];
  keys: KeySettlement[];
  /** In the order the requests finished. */
  usage: UsageEntry[];
  logs: LogRow[];
}

export interface UserAfterSettle {
  balance: bigint;
  autoRechargeEnabled: boolean;
  autoRechargeThreshold: bigint | null;
}

export interface HotStore {
  /** Reserves `amount` of the user's balance if it is there; false otherwise. */
  holdUser(userId: string, amount: bigint): Promise<boolean>;
  /** Reserves `amount` of the key's budget if it is there; false otherwise. */
  holdKey(keyId: string, amount: bigint): Promise<boolean>;
  release(userId: string, userAmount: bigint, keyId: string, keyAmount: bigint): Promise<void>;
  /** One transaction: balances, holds, key spend, USAGE ledger rows (with balanceAfter) and log rows. */
  settle(batch: SettleBatch): Promise<Map<string, UserAfterSettle>>;
  close(): Promise<void>;
}

/**
 * Each usage entry's balanceAfter, derived backwards from the users' final balances (entries of one
 * batch are booked together, in order).
 */
export function balancesAfter(usage: readonly UsageEntry[], finalBalance: ReadonlyMap<string, bigint>): bigint[] {
  const running = new Map(finalBalance);
  const out = new Array<bigint>(usage.length);
  for (let i = usage.length - 1; i >= 0; i--) {
    const entry = usage[i]!;
    const after = running.get(entry.userId)!;
    out[i] = after;
    running.set(entry.userId, after + entry.cost);
  }
  return out;
}
