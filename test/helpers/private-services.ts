// A PostgreSQL server and a Redis server of a test's own, on free ports in temp dirs, so the test
// may stop and restart them (the shared servers other tests use must never be touched).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./free-port";

const ci = process.env.CI === "true" || process.env.CI === "1";


/** The directory holding initdb/pg_ctl: on PATH, else the newest /usr/lib/postgresql/<v>/bin. */
function postgresBin(): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (existsSync(path.join(dir, "initdb"))) return dir;
  }
  return null;
}

function redisBin(): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "redis-server"))) return path.join(dir, "redis-server");
  }
  return null;
}

/** Whether this machine can run private servers; in CI it must, so a gap fails loudly. */
export function privateServicesAvailable(): boolean {
  const missing = [postgresBin() ? null : "initdb/pg_ctl", redisBin() ? null : "redis-server"].filter(Boolean);
  if (!missing.length) return true;
  if (ci) throw new Error(`${missing.join(" and ")} not found; CI must run the multi-instance test`);
  console.warn(`${missing.join(" and ")} not found: the multi-instance test is skipped`);
  return false;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` account. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (id.status !== 0) throw new Error("Running as root without a `postgres` account: PostgreSQL cannot start");
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface PrivatePostgres {
  /** The server's `postgres` database (create the test's own database on it). */
  url: string;
  start(): Promise<void>;
  /** Fast shutdown: connections are cut, as when the server goes away. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), "rootapi-pg-"));
  const data = path.join(dir, "data");
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  const port = await freePort();
  const run = (command: string, args: string[]) => {
    const result = spawnSync(path.join(bin, command), args, { encoding: "utf8", ...(user ?? {}), cwd: dir });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`;
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let running = false;
  const service: PrivatePostgres = {
    url,
    async start() {
      run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]);
      running = true;
    },
    async stop() {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
      running = false;
    },
    async destroy() {
      if (running) await service.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  // Ready for queries (pg_ctl -w waits for that too; this checks from the client side).
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  await client.end();
  return service;
}

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const binary = redisBin()!;
  const dir = mkdtempSync(path.join(os.tmpdir(), "rootapi-redis-"));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const service: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
      child = started;
      await new Promise<void>((resolve, reject) => {
        let output = "";
        const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
        started.stdout!.on("data", (d) => {
          output += d;
          if (output.includes("Ready to accept connections")) {
            clearTimeout(timer);
            resolve();
          }
        });
        started.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`redis-server exited with ${code}:\n${output}`));
        });
      });
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise((resolve) => {
        running.once("exit", resolve);
        running.kill("SIGKILL");
      });
    },
    async destroy() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}
