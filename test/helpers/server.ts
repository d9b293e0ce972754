import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export interface RunningServer {
  url: string;
  /** The server's process (under tsx, tsx's own process; start it compiled to measure the server itself). */
  pid: number;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logs: () => string;
  stop: () => Promise<void>;
  /** SIGKILL: the process dies on the spot, as in a crash (nothing flushed, nothing given back). */
  crash: () => Promise<void>;
}

/** Environment for a server or CLI bound to one test database and its own data dir. */
export function testEnv(databaseUrl: string, dataDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    // Tests sign many accounts up from one address; the tests of the sign-up limits set their own.
    SIGNUP_LIMIT_PER_ADDRESS: "10000",
    SIGNUP_LIMIT_GLOBAL: "10000",
    ...process.env,
    DATABASE_URL: databaseUrl,
    ROOTAPI_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
    NODE_ENV: "production",
  };
}

export interface StartOptions {
  /**
   * Run the compiled server (`node dist/server/index.js`, what `npm start` runs; build it first
   * with scripts/build-server.mjs) instead of server/index.ts under tsx.
   */
  compiled?: boolean;
}

/** Starts the real built server (server/index.ts → next start) on a free port. */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string | undefined> = {}, options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(path.join(ROOT, process.env.ROOTAPI_NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first (npm test does it for you)");
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rootapi-data-"));
  const env = testEnv(databaseUrl, dataDir, { PORT: "0", HOST: "127.0.0.1", ...extraEnv });
  const [command, args] = options.compiled ? [process.execPath, ["dist/server/index.js"]] : [TSX, ["server/index.ts"]];
  // Its own process group, so a kill reaches the server itself and not only tsx, which runs it as a child.
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start in 60 s:\n${output}`)), 60_000);
    const onData = () => {
      const match = /ready on (http:\/\/\S+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    url,
    pid: child.pid!,
    dataDir,
    env,
    logs: () => output,
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        signal(child, "SIGKILL");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signals the child's whole process group when it leads one (spawned detached): a SIGKILL that only
 * reached tsx left the server it runs orphaned, still running after its test had dropped its database.
 */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name);
  } catch {
    child.kill(name);
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => signal(child, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    signal(child, "SIGTERM");
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The value a command prints: its last stdout line. */
  value: string;
}

/** Runs `npm run cli -- …` exactly as an operator would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "cli", "--", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("exit", (code) => {
      const lines = stdout.trimEnd().split("\n");
      resolve({ code: code ?? -1, stdout, stderr, value: lines[lines.length - 1] ?? "" });
    });
  });
}
