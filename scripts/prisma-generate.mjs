#!/usr/bin/env node
// Renders prisma/models.prisma into one schema per provider and generates a Prisma Client for each.
// Runs as npm `postinstall`, so it must work offline, be quick when nothing changed, and fail loudly.
//
//   node scripts/prisma-generate.mjs            render + generate (skips generate when up to date)
//   node scripts/prisma-generate.mjs --force    always regenerate the clients
//   node scripts/prisma-generate.mjs --render   render the schemas only
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROVIDERS = /** @type {const} */ (["sqlite", "postgresql"]);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Text of prisma/<provider>/schema.prisma for the given models source. */
export function renderSchema(provider, models) {
  return `// generated from prisma/models.prisma — do not edit

generator client {
  provider               = "prisma-client"
  output                 = "../../lib/db/generated/${provider}"
  runtime                = "nodejs"
  moduleFormat           = "esm"
  generatedFileExtension = "ts"
  importFileExtension    = ""
}

datasource db {
  provider = "${provider}"
}

${models.trimEnd()}
`;
}

/** Writes both rendered schemas (only when their text changed) and returns their paths. */
export function renderSchemas(repoRoot = root) {
  const models = readFileSync(path.join(repoRoot, "prisma", "models.prisma"), "utf8");
  /** @type {Record<string, string>} */
  const paths = {};
  for (const provider of PROVIDERS) {
    const file = path.join(repoRoot, "prisma", provider, "schema.prisma");
    const text = renderSchema(provider, models);
    mkdirSync(path.dirname(file), { recursive: true });
    // Rewriting identical text would only bump mtimes and wake file watchers.
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
    paths[provider] = file;
  }
  return /** @type {{ sqlite: string; postgresql: string }} */ (paths);
}

/** CLI and runtime versions: a Prisma upgrade must regenerate even if the schema is unchanged. */
function prismaVersions() {
  const require = createRequire(path.join(root, "package.json"));
  const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
  return `${version("prisma")} ${version("@prisma/client")}`;
}

/** Runs `prisma generate` for one schema unless its client was generated from the same text. */
async function generate(provider, schemaFile, force) {
  const outDir = path.join(root, "lib", "db", "generated", provider);
  const stamp = path.join(outDir, ".schema-hash");
  const hash = createHash("sha256")
    .update(prismaVersions())
    .update("\0")
    .update(readFileSync(schemaFile))
    .digest("hex");
  const upToDate =
    existsSync(path.join(outDir, "client.ts")) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash;
  if (upToDate && !force) {
    console.log(`prisma-generate: ${provider} client up to date`);
    return;
  }
  const cli = createRequire(path.join(root, "package.json")).resolve("prisma/build/index.js");
  const child = spawn(process.execPath, [cli, "generate", "--schema", schemaFile, "--no-hints"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      // generate never runs the schema engine, but the CLI insists on finding (or downloading) one.
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  const code = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => resolve(exitCode ?? signal));
  });
  if (code !== 0) throw new Error(`prisma generate failed for ${provider} (exit ${code})`);
  writeFileSync(stamp, hash);
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const schemas = renderSchemas();
  if (args.has("--render")) return;
  // Independent CLI processes, so they can run side by side.
  const results = await Promise.allSettled(
    PROVIDERS.map((provider) => generate(provider, schemas[provider], args.has("--force"))),
  );
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`prisma-generate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
