import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, getDb, LedgerKind, Role } from "../../lib/db/client";
import { listMigrations, migrationsDir } from "../../lib/db/migrations-folder";
import { migrate } from "../../lib/db/migrate";
import { databaseProvider } from "../../lib/db/url";
import { pendingMigrationScript, renderSchemas } from "../../scripts/migration-create";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases";

type Provider = "sqlite" | "postgresql";

const repoRoot = process.cwd();
const pgAvailable = await postgresAvailable();
if (!pgAvailable) console.warn("PostgreSQL not reachable (TEST_DATABASE_URL): its migration tests are skipped");

const providers: Array<{ provider: Provider; available: boolean }> = [
  { provider: "sqlite", available: true },
  { provider: "postgresql", available: pgAvailable },
];

/** Rows of `sql` read with the plain driver, independent of Prisma. */
async function rows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (databaseProvider(url) === "sqlite") {
    const db = new Database(url.slice("file:".length), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function exec(url: string, sql: string): Promise<void> {
  if (databaseProvider(url) === "sqlite") {
    const db = new Database(url.slice("file:".length));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function committedMigrations(provider: Provider): string[] {
  return listMigrations(migrationsDir(provider)).migrationDirectories.map((dir) => dir.path);
}

/** Runs migrate(url) in a separate `npx tsx` process that starts migrating at `startAt` (epoch ms). */
function migrateInChild(
  scriptFile: string,
  url: string,
  startAt: number,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", scriptFile, url, String(startAt)], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("committed migrations", () => {
  beforeAll(() => renderSchemas({ renderOnly: true }));

  for (const { provider, available } of providers) {
    const title = `${provider}: match prisma/models.prisma (else add one: npm run db:migration -- <name>)`;
    (available ? it : it.skip)(title, async () => {
      expect(committedMigrations(provider).length).toBeGreaterThan(0);
      expect(await pendingMigrationScript(provider)).toBeNull();
    });
  }

  it("are the same set of names for both providers", () => {
    expect(committedMigrations("postgresql")).toEqual(committedMigrations("sqlite"));
  });
});

for (const { provider, available } of providers) {
  (available ? describe : describe.skip)(`migrate() on ${provider}`, () => {
    const expected = committedMigrations(provider);
    const databases: TestDatabase[] = [];
    let scratch: string;

    const freshDatabase = async (): Promise<string> => {
      const db = await createTestDatabase(provider);
      databases.push(db);
      return db.url;
    };

    beforeAll(() => {
      scratch = mkdtempSync(path.join(os.tmpdir(), "rootapi-migrate-test-"));
    });

    afterAll(async () => {
      await closeDb();
      await Promise.all(databases.map((db) => db.drop()));
      rmSync(scratch, { recursive: true, force: true });
    });

    it("applies every migration to an empty database, then nothing", async () => {
      const url = await freshDatabase();
      expect(await migrate(url)).toEqual({ applied: expected });
      expect(expected.some((name) => name.endsWith("_init"))).toBe(true);
      expect(await migrate(url)).toEqual({ applied: [] });
    });

    it("records migrations the way Prisma does", async () => {
      const url = await freshDatabase();
      await migrate(url);
      const recorded = await rows(url, 'SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"');
      expect(recorded.map((row) => row.migration_name)).toEqual(expected);
      for (const row of recorded) {
        expect(Object.keys(row).sort()).toEqual(
          [
            "applied_steps_count",
            "checksum",
            "finished_at",
            "id",
            "logs",
            "migration_name",
            "rolled_back_at",
            "started_at",
          ].sort(),
        );
        const sql = readFileSync(path.join(migrationsDir(provider), String(row.migration_name), "migration.sql"));
        expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
        expect(String(row.id)).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.finished_at).not.toBeNull();
        expect(row.started_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.logs).toBeNull();
        expect(Number(row.applied_steps_count)).toBe(1);
      }
    });

    it("refuses to continue when an applied migration was edited", async () => {
      const url = await freshDatabase();
      await migrate(url);
      await exec(url, `UPDATE "_prisma_migrations" SET "checksum" = '${"0".repeat(64)}'`);
      await expect(migrate(url)).rejects.toThrow(/edited/);
    });

    it("serializes concurrent migrate() calls in one process", async () => {
      const url = await freshDatabase();
      const [a, b] = await Promise.all([migrate(url), migrate(url)]);
      expect([...a.applied, ...b.applied]).toEqual(expected);
    });

    it("lets two processes migrate the same database at once", async () => {
      const url = await freshDatabase();
      const script = path.join(scratch, "migrate-once.ts");
      writeFileSync(
        script,
        `import { migrate } from ${JSON.stringify(path.join(repoRoot, "lib", "db", "migrate"))};
const [url, startAt] = process.argv.slice(2);
// Both processes start migrating at the same instant, so their lock attempts really collide.
setTimeout(() => {
  migrate(url).then(
    (result) => { console.log("RESULT " + JSON.stringify(result)); process.exit(0); },
    (error) => { console.error(error); process.exit(1); },
  );
}, Math.max(0, Number(startAt) - Date.now()));
`,
      );
      const startAt = Date.now() + 6000;
      const results = await Promise.all([migrateInChild(script, url, startAt), migrateInChild(script, url, startAt)]);
      for (const result of results) expect(result.code, result.out).toBe(0);
      const applied = results.flatMap(({ out }) => {
        const line = out.split("\n").find((l) => l.startsWith("RESULT "));
        return (JSON.parse(line!.slice("RESULT ".length)) as { applied: string[] }).applied;
      });
      expect(applied).toEqual(expected);
      const recorded = await rows(url, 'SELECT "migration_name" FROM "_prisma_migrations"');
      expect(recorded.map((row) => row.migration_name).sort()).toEqual(expected);
    });

    it("stores and reads back users and ledger entries with BigInt money", async () => {
      const url = await freshDatabase();
      await migrate(url);
      const db = createDb(url);
      try {
        // Above 2^53: a float anywhere on the way would change the value.
        const big = 9_007_199_254_740_993n;
        const user = await db.user.create({
          data: { email: "ada@example.com", role: Role.ADMIN, balance: big, lowBalanceThreshold: -5n },
        });
        await db.ledgerEntry.create({
          data: {
            userId: user.id,
            kind: LedgerKind.TOPUP,
            amount: big,
            balanceAfter: big,
            idempotencyKey: "test:1",
          },
        });
        await db.apiKey.create({
          data: { userId: user.id, name: "k", keyHash: "h", prefix: "sk-", allowedModels: ["a", "b"] },
        });

        const read = await db.user.findUniqueOrThrow({
          where: { email: "ada@example.com" },
          include: { ledger: true, apiKeys: true },
        });
        expect(read.balance).toBe(big);
        expect(read.lowBalanceThreshold).toBe(-5n);
        expect(read.held).toBe(0n);
        expect(read.role).toBe("ADMIN");
        expect(read.createdAt).toBeInstanceOf(Date);
        expect(read.ledger).toHaveLength(1);
        expect(read.ledger[0]!.amount).toBe(big);
        expect(read.ledger[0]!.kind).toBe(LedgerKind.TOPUP);
        expect(read.apiKeys[0]!.allowedModels).toEqual(["a", "b"]);

        const sum = await db.ledgerEntry.aggregate({ where: { userId: user.id }, _sum: { amount: true } });
        expect(sum._sum.amount).toBe(big);
        // The ledger's key is unique: booking the same movement twice must fail.
        await expect(
          db.ledgerEntry.create({
            data: {
              userId: user.id,
              kind: LedgerKind.USAGE,
              amount: -1n,
              balanceAfter: big - 1n,
              idempotencyKey: "test:1",
            },
          }),
        ).rejects.toMatchObject({ code: "P2002" });
      } finally {
        await db.$disconnect();
      }
    });

    it("getDb() is one client per DATABASE_URL", async () => {
      const url = await freshDatabase();
      await migrate(url);
      const previous = process.env.DATABASE_URL;
      process.env.DATABASE_URL = url;
      try {
        const db = getDb();
        expect(getDb()).toBe(db);
        expect(await db.user.count()).toBe(0);
        if (provider === "sqlite") {
          const [mode] = await db.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
          expect(mode!.journal_mode).toBe("wal");
          const [fk] = await db.$queryRawUnsafe<Array<{ foreign_keys: number | bigint }>>("PRAGMA foreign_keys");
          expect(Number(fk!.foreign_keys)).toBe(1);
        }
      } finally {
        await closeDb();
        if (previous === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = previous;
      }
    });
  });
}

describe("databaseProvider()", () => {
  it("tells SQLite from PostgreSQL and rejects anything else without echoing the URL", () => {
    expect(databaseProvider("file:./data/x.db")).toBe("sqlite");
    expect(databaseProvider("postgres://u@h/db")).toBe("postgresql");
    expect(databaseProvider("postgresql://u@h/db")).toBe("postgresql");
    expect(() => databaseProvider("mysql://user:secret@h/db")).toThrow(/mysql:/);
    expect(() => databaseProvider("mysql://user:secret@h/db")).not.toThrow(/secret/);
  });
});
