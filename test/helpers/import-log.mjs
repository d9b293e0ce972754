// Preloaded into a server with `node --import` (see compiled-server.test.ts): appends every module
// specifier the server process imports to the file named by ROOTAPI_TEST_IMPORT_LOG, one per line.
// The same file is both the preload (main thread) and the resolve hook (Node's hooks thread).
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

const log = process.env.ROOTAPI_TEST_IMPORT_LOG;
// Only the server itself: not the child that migrates the database, which inherits NODE_OPTIONS.
if (isMainThread && log && process.argv[1]?.endsWith("index.js")) register(import.meta.url, { data: log });

let target;
export function initialize(data) {
  target = data;
}

export async function resolve(specifier, context, next) {
  appendFileSync(target, `${specifier}\n`);
  return next(specifier, context);
}
