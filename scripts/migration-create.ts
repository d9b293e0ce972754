// npm run db:migration -- <name>
// For each provider: replays the committed migrations on a scratch database, diffs the result
// against the rendered schema and, if anything differs, writes
// prisma/<provider>/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql the way `prisma migrate dev` does.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { scratchAdapter } from "../lib/db/adapters";
import { withEngine } from "../lib/db/engine";
import { LOCKFILE_NAME, listMigrations, lockfileText, migrationsDir, NO_FILTERS } from "../lib/db/migrations-folder";
import type { DatabaseProvider } from "../lib/db/url";

export const PROVIDERS: readonly DatabaseProvider[] = ["sqlite", "postgresql"];

/** Server on which PostgreSQL scratch databases are created (and dropped). */
export function scratchServerUrl(): string {
  const { SHADOW_DATABASE_URL, TEST_DATABASE_URL } = process.env;
  return SHADOW_DATABASE_URL || TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

/** Re-renders prisma/<provider>/schema.prisma from prisma/models.prisma; regenerates the clients unless renderOnly. */
export function renderSchemas({ renderOnly }: { renderOnly: boolean }): void {
  const args = [path.resolve(process.cwd(), "scripts", "prisma-generate.mjs"), ...(renderOnly ? ["--render"] : [])];
  const result = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (result.status !== 0) throw new Error("scripts/prisma-generate.mjs failed");
}

/**
 * SQL that takes a database from the committed migrations of `provider` to its rendered schema,
 * or null when they already match.
 */
export async function pendingMigrationScript(provider: DatabaseProvider): Promise<string | null> {
  const schemaFile = path.resolve(process.cwd(), "prisma", provider, "schema.prisma");
  const schema = readFileSync(schemaFile, "utf8");
  const migrations = listMigrations(migrationsDir(provider));
  // The engine picks its connector from the lockfile; the first migration has none yet.
  migrations.lockfile.content ??= lockfileText(provider);
  const result = await withEngine(scratchAdapter(provider, scratchServerUrl()), (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrations },
      to: { tag: "schemaDatamodel", files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  // exitCode 2 means "non-empty diff" (the --exit-code convention of `prisma migrate diff`).
  if (result.exitCode === 0) return null;
  if (result.exitCode !== 2 || !result.stdout) throw new Error(`unexpected diff result (exit ${result.exitCode})`);
  return result.stdout;
}

/** 20240131235959, UTC, as Prisma names migration folders. */
export function migrationTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!slug) throw new Error("usage: npm run db:migration -- <name>   (letters, digits, underscores)");
  return slug;
}

/** Writes the migration folder (and the lockfile Prisma keeps beside them). */
export function writeMigration(provider: DatabaseProvider, folder: string, script: string): string {
  const dir = migrationsDir(provider);
  const target = path.join(dir, folder);
  if (existsSync(target)) throw new Error(`${path.relative(process.cwd(), target)} already exists`);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, "migration.sql"), script);
  const lockfile = path.join(dir, LOCKFILE_NAME);
  if (!existsSync(lockfile)) writeFileSync(lockfile, lockfileText(provider));
  return target;
}

async function main(): Promise<void> {
  const name = migrationSlug(process.argv.slice(2).join(" "));
  renderSchemas({ renderOnly: false });
  // One timestamp for both providers keeps the two histories visibly parallel.
  const folder = `${migrationTimestamp()}_${name}`;
  // Diff both before writing either, so a failure cannot leave one provider a migration ahead.
  const scripts = new Map<DatabaseProvider, string | null>();
  for (const provider of PROVIDERS) {
    try {
      scripts.set(provider, await pendingMigrationScript(provider));
    } catch (error) {
      const hint = provider === "postgresql" ? " (scratch databases: SHADOW_DATABASE_URL or TEST_DATABASE_URL)" : "";
      throw new Error(`${provider}: ${error instanceof Error ? error.message : String(error)}${hint}`);
    }
  }
  for (const [provider, script] of scripts) {
    if (script === null) {
      console.log(`${provider}: no changes`);
      continue;
    }
    const target = writeMigration(provider, folder, script);
    console.log(`${provider}: wrote ${path.relative(process.cwd(), target)}/migration.sql`);
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
