// Readiness of this instance for load balancers and orchestrators (GET /readyz): the database
// answers and has every committed migration, Redis answers when configured, and the server is not
// shutting down. Polled every second by every balancer, so a poll costs one tiny query at most.
import { migrationNames, migrationsDir } from "../db/migrations-folder";
import { databaseProvider } from "../db/url";
import type { RateLimiter } from "../gateway/limits/rate-limit";
import { getHotStore, type HotStore } from "../gateway/store";

export type ReadinessCheck = "database" | "migrations" | "redis" | "shutdown";

export interface ReadinessReason {
  check: ReadinessCheck;
  /** Fixed wording plus an error code at most: never a connection string or a driver's message. */
  message: string;
}

export type Readiness = { status: "ready" } | { status: "unready"; reasons: ReadinessReason[] };

export interface ReadinessSources {
  store: () => HotStore;
  /** The committed migrations (names of prisma/<provider>/migrations folders) the database must have. */
  expectedMigrations: () => string[];
  /** PING of the Redis the instance shares limits through; null when REDIS_URL is not set. */
  pingRedis: (() => Promise<unknown>) | null;
  /** Longest a dependency may take to answer before it counts as down. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2_000;

export class ReadinessProbe {
  /** Migrations never un-apply themselves: once all are in, polls stop reading the migrations table. */
  private migrationsApplied = false;
  private shuttingDown = false;
  /** Concurrent polls share one check, so a hanging database cannot pile up queries. */
  private inFlight: Promise<Readiness> | null = null;

  constructor(private readonly sources: ReadinessSources) {}

  /** From SIGTERM on the instance reports itself unready, so balancers drain it. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  check(): Promise<Readiness> {
    if (this.shuttingDown) return Promise.resolve({ status: "unready", reasons: [{ check: "shutdown", message: "The server is shutting down." }] });
    if (!this.inFlight) {
      this.inFlight = this.run().finally(() => (this.inFlight = null));
    }
    return this.inFlight;
  }

  private async run(): Promise<Readiness> {
    const [database, redis] = await Promise.all([this.checkDatabase(), this.checkRedis()]);
    const reasons = [...database, ...redis];
    return reasons.length ? { status: "unready", reasons } : { status: "ready" };
  }

  private async checkDatabase(): Promise<ReadinessReason[]> {
    const store = this.sources.store();
    try {
      if (this.migrationsApplied) {
        await this.timed(store.ping());
        return [];
      }
      // Reading the migrations table is the reachability check too: still one query.
      const applied = new Set(await this.timed(store.appliedMigrations()));
      const missing = this.sources.expectedMigrations().filter((name) => !applied.has(name));
      if (missing.length) return [{ check: "migrations", message: `${missing.length} migration(s) not applied, e.g. ${missing[0]}.` }];
      this.migrationsApplied = true;
      return [];
    } catch (error) {
      if (!this.migrationsApplied && isMissingTable(error)) return [{ check: "migrations", message: "The database has no migrations applied." }];
      return [{ check: "database", message: `The database did not answer (${failureCode(error)}).` }];
    }
  }

  private async checkRedis(): Promise<ReadinessReason[]> {
    if (!this.sources.pingRedis) return [];
    try {
      await this.timed(this.sources.pingRedis());
      return [];
    } catch (error) {
      return [{ check: "redis", message: `Redis did not answer (${failureCode(error)}).` }];
    }
  }

  private timed<T>(work: Promise<T>): Promise<T> {
    const ms = this.sources.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: `no answer within ${ms} ms` })), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

/** SQLite's "no such table" and PostgreSQL's undefined_table. */
function isMissingTable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === "42P01" || (e.code === "SQLITE_ERROR" && /no such table/.test(e.message ?? ""));
}

/**
 * What went wrong, as an error code only (ECONNREFUSED, 28P01, SQLITE_CANTOPEN…): driver messages
 * may quote hosts, users or URLs, which a public endpoint must not show.
 */
function failureCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[\w .-]{1,40}$/.test(code) ? code : "error";
}

/** The probe of this process: its hot store, its provider's migrations folder and its rate limiter's Redis. */
export function createReadinessProbe(url: string, limiter: RateLimiter): ReadinessProbe {
  let expected: string[] | undefined;
  return new ReadinessProbe({
    store: getHotStore,
    // The folder does not change while the server runs.
    expectedMigrations: () => (expected ??= migrationNames(migrationsDir(databaseProvider(url)))),
    pingRedis: limiter.ping ? () => limiter.ping!() : null,
  });
}
