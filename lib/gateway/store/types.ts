/**
 * Every query the /v1 gateway makes — the per-request writes (funds leases, settlement), the
 * cached reads behind them (keys, channels, prices), channel health and stored responses — done
 * with the database driver directly. Going through the ORM cost several times more CPU per request
 * than the rest of the gateway together, and merely loading its query compiler costs ~100 MB of
 * memory: an instance that only serves the API never loads it. The portal, the CLI and
 * auto-recharge (Stripe) keep using Prisma.
 */
export interface UserSettlement {
  userId: string;
  /** Charged to the balance. */
  cost: bigint;
}

export interface KeySettlement {
  keyId: string;
  /** Added to the key's spend. */
  cost: bigint;
  lastUsed: Date;
}

/** Spent out of a lease: leaves the lease and the held column it backs (unless the lease is gone). */
export interface LeaseSpend extends LeaseRef {
  amount: bigint;
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
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
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
  leases: LeaseSpend[];
  /** In the order the requests finished. */
  usage: UsageEntry[];
  logs: LogRow[];
}

export interface UserAfterSettle {
  balance: bigint;
  autoRechargeEnabled: boolean;
  autoRechargeThreshold: bigint | null;
}

/** An API key as authentication needs it, with its owner's status. */
export interface KeyRecord {
  id: string;
  userId: string;
  /** JSON as stored: an array of model ids, or null. */
  allowedModels: unknown;
  rpmLimit: number | null;
  tpmLimit: number | null;
  budget: bigint | null;
  budgetPeriod: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  userDisabled: boolean;
}

/** A channel as routing and re-tests need it (Prisma's Channel row fits it too). */
export interface ChannelRecord {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
  apiKeyEnc: string | null;
  models: unknown;
  modelMapping: unknown;
  config: unknown;
  priority: number;
  weight: number;
  timeoutMs: number | null;
  supportsResponses: boolean;
  createdAt: Date;
}

export interface PriceRecord {
  model: string;
  inputPrice: bigint;
  outputPrice: bigint;
  cachedInputPrice: bigint | null;
  cacheWritePrice: bigint | null;
  cacheWrite1hPrice: bigint | null;
}

export type RoutableStatus = "ENABLED" | "AUTO_DISABLED";

/** Health columns of a channel; only the fields given are written (and `updatedAt`). */
export interface ChannelHealthUpdate {
  status?: RoutableStatus;
  consecutiveFailures?: number;
  disabledReason?: string | null;
  lastError?: string | null;
  lastErrorAt?: Date;
  lastCheckedAt?: Date;
  lastLatencyMs?: number;
}

export const CHANNEL_HEALTH_COLUMNS = ["status", "consecutiveFailures", "disabledReason", "lastError", "lastErrorAt", "lastCheckedAt", "lastLatencyMs"] as const;

/** Columns and values of an update, in CHANNEL_HEALTH_COLUMNS order (a fixed column list, never caller-supplied names). */
export function channelHealthAssignments(update: ChannelHealthUpdate): Array<[column: string, value: string | number | Date | null]> {
  return CHANNEL_HEALTH_COLUMNS.filter((column) => update[column] !== undefined).map((column) => [column, update[column] as string | number | Date | null]);
}

export type LeaseSubject = "user" | "key";

/** One instance's lease on one subject's funds (a FundsLease row; see prisma/models.prisma). */
export interface LeaseRef {
  id: string;
  instanceId: string;
  subject: LeaseSubject;
  subjectId: string;
}

/**
 * Leases: an instance reserves funds in bulk (User.held / ApiKey.held, plus a FundsLease row saying
 * whose they are) and hands them to its requests in memory. Every change to a lease and to the held
 * column it backs happens in one transaction; a lease whose row is gone (swept) no longer backs
 * anything, so giving it back or settling against it leaves `held` alone.
 */
export interface LeaseStore {
  /**
   * Adds `amount` to the lease if the subject's free funds (balance, or budget left, minus held)
   * cover it and leave at least `keepFree` for others; false otherwise.
   */
  growLease(lease: LeaseRef, amount: bigint, expiresAt: Date, keepFree?: bigint): Promise<boolean>;
  /**
   * Gives `amount` of the lease back; the row goes once it is empty. Never more than the lease still
   * holds: a give-back retried after its commit was lost (the connection dropped before the answer)
   * would otherwise take from `held` funds that back other leases and holds, and let the subject
   * overdraw. Settlements take from a lease the same way.
   */
  shrinkLease(lease: LeaseRef, amount: bigint): Promise<void>;
  /** Extends every lease of the instance; returns the ids of those that still exist. */
  renewLeases(instanceId: string, expiresAt: Date): Promise<Set<string>>;
  /** Gives back every lease that expired before `now` (its instance stopped renewing it), or every lease of `instanceId`; returns how many. */
  releaseLeases(filter: { expiredBefore: Date } | { instanceId: string }): Promise<number>;
}

/** One stored turn of the Responses API (a StoredResponse row). */
export interface StoredTurn {
  id: string;
  userId: string;
  apiKeyId: string | null;
  model: string;
  previousResponseId: string | null;
  instructions: string | null;
  /** Input items of this turn (not the expanded history). */
  input: unknown[];
  output: unknown[];
  /** The whole response object as returned to the client. */
  response: Record<string, unknown>;
  status: string;
}

export type StoredTurnRow = Pick<StoredTurn, "id" | "previousResponseId"> & { input: unknown; output: unknown; response: unknown };

export interface HotStore extends LeaseStore {
  findKey(keyHash: string): Promise<KeyRecord | null>;
  channels(status: RoutableStatus): Promise<ChannelRecord[]>;
  prices(): Promise<PriceRecord[]>;
  /** The user's balance and what requests in flight hold of it; null for an unknown user. */
  funds(userId: string): Promise<{ balance: bigint; held: bigint } | null>;
  keySpent(keyId: string): Promise<bigint>;
  /** What the user's requests cost (USAGE entries) in [from, to). */
  usageCost(userId: string, from?: Date, to?: Date): Promise<bigint>;
  /** Starts a new budget period (spent back to zero) unless the key's period already starts at `periodStart`. */
  startBudgetPeriod(keyId: string, periodStart: Date): Promise<void>;
  updateChannelHealth(channelId: string, update: ChannelHealthUpdate): Promise<void>;
  /** The user's stored response; null for an unknown id or someone else's (never a hint that it exists). */
  findStoredTurn(userId: string, id: string): Promise<StoredTurnRow | null>;
  saveStoredTurn(turn: StoredTurn): Promise<void>;
  deleteStoredTurn(userId: string, id: string): Promise<boolean>;

  /** One transaction: what leases gave, balances, key spend, USAGE ledger rows (with balanceAfter), log rows and the daily rollup. */
  settle(batch: SettleBatch): Promise<Map<string, UserAfterSettle>>;
  /** The cheapest round trip to the database (readiness). */
  ping(): Promise<void>;
  /** Names of the migrations applied to completion (not rolled back); fails like ping when unreachable. */
  appliedMigrations(): Promise<string[]>;
  /**
   * Deletes at most `limit` RequestLog rows created before `before`; returns how many. Nothing else
   * is touched: the daily rollups and the ledger were written with the rows and stay.
   */
  deleteRequestLogsBefore(before: Date, limit: number): Promise<number>;
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
