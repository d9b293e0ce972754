import { createRequire } from "node:module";
import path from "node:path";
import { InlineWorker } from "../workers/inline-worker";

/**
 * Checks legacy bcrypt hashes (accounts created before scrypt) in a worker thread: bcryptjs is pure
 * JavaScript and a cost-12 comparison holds a thread for ~300 ms, which on the main thread stalls
 * every /v1 request. bcryptjs is resolved from the app's own node_modules (it is a
 * serverExternalPackage, so it is there at run time).
 */
let checker: InlineWorker<{ password: string; hash: string }, boolean> | null = null;

export function bcryptVerifyOffThread(password: string, hash: string): Promise<boolean> {
  checker ??= new InlineWorker("({ password, hash }, data) => require(data.bcryptPath).compare(password, hash)", { workerData: { bcryptPath: bcryptPath() } });
  return checker.call({ password, hash });
}

function bcryptPath(): string {
  return createRequire(path.join(process.cwd(), "package.json")).resolve("bcryptjs");
}

export function isBcryptHash(stored: string): boolean {
  return /^\$2[aby]\$\d{2}\$/.test(stored);
}
