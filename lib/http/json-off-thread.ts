import { Worker } from "node:worker_threads";

/**
 * JSON.parse of large bodies on a worker thread. Parsing a 19 MB prompt takes the main thread
 * 25–150 ms (more on a busy machine), during which no other request moves; on the worker it
 * costs the main thread a copy in and a structured clone out. Small bodies parse faster in place.
 */
export const OFF_THREAD_MIN_BYTES = 1 << 20;

// Plain JavaScript evaluated in the worker: no loader, so it runs the same under tsx, the compiled
// server and tests.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const decoder = new TextDecoder();
parentPort.on("message", ({ id, bytes }) => {
  let value = null;
  let failed = false;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    failed = true;
  }
  parentPort.postMessage({ id, failed, value });
});
`;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function start(): Worker {
  // A hostile body that still parses into something enormous kills the worker, not the server.
  const started = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  started.unref();
  started.on("message", ({ id, failed, value }: { id: number; failed: boolean; value: unknown }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (!waiting) return;
    if (failed) waiting.reject(new SyntaxError("invalid JSON"));
    else waiting.resolve(value);
  });
  const lost = (error: Error) => {
    if (worker === started) worker = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  started.on("error", lost);
  started.on("exit", (code) => lost(new Error(`JSON worker exited (${code})`)));
  return started;
}

/** JSON.parse(bytes as UTF-8), on the worker thread. Rejects with a SyntaxError for invalid JSON. */
export function parseJsonOffThread(bytes: Uint8Array): Promise<unknown> {
  worker ??= start();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.postMessage({ id, bytes });
  });
}
