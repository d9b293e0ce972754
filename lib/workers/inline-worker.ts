import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * One worker thread for work that would hold the event loop (parsing a 19 MB body, checking a
 * bcrypt hash): started on first use, unref'd so it never keeps the process up, and started again
 * after it dies (what it had in hand is failed). Its code is inline source — plain JavaScript with
 * no loader — because Next bundles the modules that use it and a sibling file would not be where
 * the bundle runs. `handler` is that source: a function (request, workerData) → result or promise.
 */
export class InlineWorker<Request, Result> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (value: Result) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(
    private readonly handler: string,
    private readonly options: WorkerOptions = {},
  ) {}

  /** The handler's result; its error (a SyntaxError stays one) rejects. */
  call(request: Request): Promise<Result> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  /** Stops the thread; calls in flight fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const source = `
const { parentPort, workerData } = require("node:worker_threads");
const handle = (${this.handler});
parentPort.on("message", async ({ id, request }) => {
  try {
    parentPort.postMessage({ id, value: await handle(request, workerData) });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error && error.name, message: String((error && error.message) || error) } });
  }
});`;
    const started = new Worker(source, { ...this.options, eval: true });
    started.unref();
    started.on("message", ({ id, value, error }: { id: number; value?: Result; error?: { name?: string; message: string } }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (!waiting) return;
      if (error) waiting.reject(error.name === "SyntaxError" ? new SyntaxError(error.message) : new Error(error.message));
      else waiting.resolve(value as Result);
    });
    const lost = (error: Error) => {
      if (this.worker === started) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    started.on("error", lost);
    started.on("exit", (code) => lost(new Error(`worker exited (${code})`)));
    return started;
  }
}
