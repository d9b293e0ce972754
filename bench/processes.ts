/** Starting the three processes a run needs: the fake upstream, the load generator, the gateway. */
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { captureOutput, spawnPinned, stopChild } from "./proc";
import type { HttpJob, HttpResult, Job, JobResult, LoadMessage, StreamsJob, StreamsMark, StreamsResult, TtfbJob, TtfbResult } from "./protocol";

export const ROOT = path.resolve(__dirname, "..");

/** Machine paths out of messages (they may quote a server's output or a stack trace). */
export function redact(text: string): string {
  return text.split(ROOT).join(".").split(os.tmpdir()).join("<tmp>");
}
const NODE = process.execPath;

/** Resolves with the first match of `pattern` in the child's stdout, or rejects if it exits first or times out. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string, output: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${output()}`)), timeoutMs);
    const onData = (data: Buffer) => {
      seen += data.toString("utf8");
      const match = pattern.exec(seen);
      if (match) done(() => resolve(match));
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`${what} exited (${signal ?? code}) before it was ready:\n${output()}`));
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      then();
    };
    const fail = (error: Error) => done(() => reject(error));
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export interface UpstreamProc extends Proc {
  /** OpenAI-compatible base URL, ending in /v1. */
  url: string;
}

/** A bench script that prints "… listening on <port>" and exits when its stdin closes. */
async function startListener(core: number | null, what: string, args: string[]): Promise<UpstreamProc> {
  const child = spawnPinned(core, NODE, ["--import", "tsx", ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const output = captureOutput(child);
  const match = await waitForLine(child, /listening on (\d+)/, 30_000, what, output);
  return { child, pid: child.pid!, output, url: `http://127.0.0.1:${match[1]}/v1`, stop: () => stopChild(child, 5_000) };
}

export function startUpstreamProcess(core: number | null): Promise<UpstreamProc> {
  return startListener(core, "The fake upstream", ["bench/fake-upstream.ts", "--exit-with-stdin"]);
}

/** The floor (bench/bare-proxy.ts) in front of the fake upstream; its `url` ends in /v1 like the upstream's. */
export function startBareProxyProcess(core: number | null, upstreamUrl: string): Promise<UpstreamProc> {
  return startListener(core, "The bare proxy", ["bench/bare-proxy.ts", new URL(upstreamUrl).origin]);
}

export interface GatewayProc extends Proc {
  url: string;
}

export interface GatewayOptions {
  env: NodeJS.ProcessEnv;
  core: number | null;
  viaNext: boolean;
  /** Extra node options, e.g. --cpu-prof. */
  nodeOptions?: string[];
  /** Called with every line the server prints on stdout. */
  onLine?: (line: string) => void;
}

/** The real server, exactly as `npm start` runs it (`node dist/server/index.js`, built by `npm run build`). */
export async function startGatewayProcess(options: GatewayOptions): Promise<GatewayProc> {
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    PORT: "0",
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ROOTAPI_V1_VIA_NEXT: options.viaNext ? "1" : "",
  };
  const args = [...(options.nodeOptions ?? []), "dist/server/index.js"];
  const child = spawnPinned(options.core, NODE, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const output = captureOutput(child);
  const onLine = options.onLine;
  if (onLine) {
    let partial = "";
    child.stdout!.on("data", (data: Buffer) => {
      const lines = (partial + data.toString("utf8")).split("\n");
      partial = lines.pop()!;
      for (const line of lines) onLine(line);
    });
  }
  const match = await waitForLine(child, /ready on (http:\/\/\S+:\d+)/, 120_000, "The gateway", output);
  return { child, pid: child.pid!, output, url: match[1]!.replace("localhost", "127.0.0.1"), stop: () => stopChild(child, 30_000) };
}

/** The load generator process and a promise-based way to give it jobs. */
export class LoadGenerator implements Proc {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void; onMark?: (m: StreamsMark) => void }>();

  private constructor(
    readonly child: ChildProcess,
    readonly output: () => string,
  ) {
    child.on("message", (message: LoadMessage) => {
      if (message.type === "ready") return;
      const id = message.type === "result" ? message.result.id : message.id;
      const waiter = this.waiting.get(id);
      if (!waiter) return;
      if (message.type === "mark") return waiter.onMark?.(message.mark);
      this.waiting.delete(id);
      if (message.type === "result") waiter.resolve(message.result);
      else waiter.reject(new Error(`load generator: ${message.message}`));
    });
    child.once("exit", (code, signal) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`The load generator exited (${signal ?? code}):\n${output()}`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(core: number | null): Promise<LoadGenerator> {
    const child = spawnPinned(core, NODE, ["--import", "tsx", "bench/load.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    const output = captureOutput(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The load generator did not start:\n${output()}`)), 30_000);
      child.once("message", () => (clearTimeout(timer), resolve()));
      child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`The load generator exited (${code}):\n${output()}`))));
    });
    return new LoadGenerator(child, output);
  }

  http(job: Omit<HttpJob, "id" | "kind">): Promise<HttpResult> {
    return this.run({ ...job, kind: "http", id: this.nextId++ }) as Promise<HttpResult>;
  }

  ttfb(job: Omit<TtfbJob, "id" | "kind">): Promise<TtfbResult> {
    return this.run({ ...job, kind: "ttfb", id: this.nextId++ }) as Promise<TtfbResult>;
  }

  /** Long paced streams held at once; `onMark` hears when the steady window starts and ends. */
  streams(job: Omit<StreamsJob, "id" | "kind">, onMark: (m: StreamsMark) => void): Promise<StreamsResult> {
    return this.run({ ...job, kind: "streams", id: this.nextId++ }, onMark) as Promise<StreamsResult>;
  }

  private run(job: Job, onMark?: (m: StreamsMark) => void): Promise<JobResult> {
    return new Promise<JobResult>((resolve, reject) => {
      this.waiting.set(job.id, { resolve, reject, onMark });
      this.child.send(job);
    });
  }

  stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    return stopChild(this.child, 5_000);
  }
}
