#!/usr/bin/env node
// Compiles the production server (server/*.ts and the lib/ code it imports) into dist/server/*.js
// with esbuild, so `npm start` runs plain JavaScript under `node`. Running the TypeScript through
// tsx instead keeps tsx's loader thread (its own V8 isolate) and its transforms in memory: ~45 MB
// of RSS for nothing. Packages stay external (loaded from node_modules at run time, as before).
// Part of `npm run build`; takes about a second.
//
//   node scripts/build-server.mjs
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SERVER_OUT_DIR = path.join(root, "dist", "server");

export async function buildServer() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["server/index.ts", "server/prepare-database.ts"],
    outdir: SERVER_OUT_DIR,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    tsconfig: "tsconfig.json",
    keepNames: true,
    sourcemap: "linked",
    logLevel: "warning",
    // The generated Prisma clients are ESM and read import.meta.url, which CommonJS lacks.
    banner: { js: 'const __rootapiImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__rootapiImportMetaUrl" },
    write: false,
  });
  // Each file replaced atomically: a server starting meanwhile reads the old or the new one, whole.
  mkdirSync(SERVER_OUT_DIR, { recursive: true });
  for (const file of result.outputFiles) {
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildServer().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
