import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * Checks legacy bcrypt hashes (accounts created before scrypt) in a worker thread: bcryptjs is pure
 * JavaScript and a cost-12 comparison holds a thread for ~300 ms, which on the main thread stalls
 * every /v1 request. One worker, started on first use and unref'd, so it never keeps the process up.
 *
 * The worker is inline source (eval) rather than a file next to this one, because Next bundles this
 * module and a sibling worker file would not be where the bundle runs. bcryptjs is resolved from the
 * app's own node_modules (it is a serverExternalPackage, so it is there at run time).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptPath);
parentPort.on("message", ({ id, password, hash }) => {
  bcrypt.compare(password, hash).then(
    (ok) => parentPort.postMessage({ id, ok }),
    (error) => parentPort.postMessage({ id, error: String(error && error.message || error) }),
  );
});
`;

type Pending = { resolve: (ok: boolean) => void; reject: (error: Error) => void };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function bcryptPath(): string {
  return createRequire(path.join(process.cwd(), "package.json")).resolve("bcryptjs");
}

function getWorker(): Worker {
  if (worker) return worker;
  const created = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath: bcryptPath() } });
  created.unref();
  created.on("message", ({ id, ok, error }: { id: number; ok?: boolean; error?: string }) => {
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (error) waiter.reject(new Error(error));
    else waiter.resolve(Boolean(ok));
  });
  const fail = (error: Error) => {
    // A dead worker fails what it had; the next comparison starts a new one.
    if (worker === created) worker = null;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  created.on("error", fail);
  created.on("exit", (code) => fail(new Error(`bcrypt worker exited with code ${code}`)));
  worker = created;
  return created;
}

export function bcryptVerifyOffThread(password: string, hash: string): Promise<boolean> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, password, hash });
  });
}

export function isBcryptHash(stored: string): boolean {
  return /^\$2[aby]\$\d{2}\$/.test(stored);
}
