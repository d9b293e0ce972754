/** Processes: CPU pinning with taskset, and CPU time / memory read from /proc. */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let tasksetPresent: boolean | undefined;

export function hasTaskset(): boolean {
  if (tasksetPresent === undefined) {
    try {
      execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
      tasksetPresent = true;
    } catch {
      tasksetPresent = false;
    }
  }
  return tasksetPresent;
}

/** Pins every thread of a running process (this one, by default) to `core`. */
export function pinProcess(core: number, pid = process.pid): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync("taskset", ["-a", "-cp", String(core), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns `command args` on `core` (taskset execs the command, so the child's pid is the command's own).
 * Without taskset the child runs unpinned. Its open-files limit is raised to the hard limit (through
 * a shell that execs, keeping the pid): thousands of held streams need a descriptor each, twice in
 * the gateway (client and upstream side). The bench raises it, never the product.
 */
export function spawnPinned(core: number | null, command: string, args: string[], options: SpawnOptions): ChildProcess {
  const pinned = core === null || !hasTaskset() ? [command, ...args] : ["taskset", "-c", String(core), command, ...args];
  return spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...pinned], options);
}

/** The hard limit on open files of this process (and so of the children spawnPinned starts). */
export function openFilesHardLimit(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const hard = line?.trim().split(/\s+/)[4];
    return hard === undefined || hard === "unlimited" ? Number.POSITIVE_INFINITY : Number(hard);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** A monotonic clock in microseconds, for windows measured against CPU time. */
export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * User + system CPU time in milliseconds of a process (all its threads), or of one of its threads
 * when `tid` is given (the main thread's tid is the pid); null if it is gone.
 */
export function cpuTimeMs(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after ')'.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** Total CPU time (ms) of every process whose command name is `comm` (e.g. the PostgreSQL server's). */
export function cpuTimeOfCommand(comm: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== comm) continue;
    } catch {
      continue;
    }
    total += cpuTimeMs(Number(entry)) ?? 0;
  }
  return total;
}

/** Resident set size in bytes (VmRSS), or null if the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs` and keeps the maximum. */
export class RssSampler {
  max = 0;
  last = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): number {
    const rss = rssBytes(this.pid);
    if (rss !== null) {
      this.last = rss;
      if (rss > this.max) this.max = rss;
    }
    return this.last;
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

/** The machine's CPU time per core (ms) from /proc/stat, split by what it was spent on. */
export interface CoreTimes {
  busy: number;
  idle: number;
  iowait: number;
  steal: number;
}

export function coreTimes(): Record<string, CoreTimes> {
  const out: Record<string, CoreTimes> = {};
  try {
    const toMs = 1000 / ticksPerSecond();
    for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
      const match = /^(cpu\d*)\s+(.*)$/.exec(line);
      if (!match) continue;
      // user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
      const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2]!.split(/\s+/).map(Number);
      out[match[1] === "cpu" ? "all" : match[1]!] = { busy: (user + nice + system + irq + softirq) * toMs, idle: idle * toMs, iowait: iowait * toMs, steal: steal * toMs };
    }
  } catch {
    // not Linux: no machine-wide figures
  }
  return out;
}

/** CPU time of several processes (and the machine's cores) at one instant, to take deltas over a measured window. */
export interface CpuSnapshot {
  at: number;
  cpuMs: Record<string, number | null>;
  cores: Record<string, CoreTimes>;
}

/** `pids`: name → pid (the whole process), [pid, tid] (one thread) or a command name (all its processes). */
export function cpuSnapshot(pids: Record<string, number | [number, number] | string | undefined>): CpuSnapshot {
  const cpuMs: Record<string, number | null> = {};
  for (const [name, id] of Object.entries(pids)) {
    cpuMs[name] = id === undefined ? null : typeof id === "string" ? cpuTimeOfCommand(id) : Array.isArray(id) ? cpuTimeMs(id[0], id[1]) : cpuTimeMs(id);
  }
  return { at: performance.now(), cpuMs, cores: coreTimes() };
}

/** CPU milliseconds each process (and each core) used between two snapshots, and the wall time between them. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): { wallMs: number; cpuMs: Record<string, number | null>; cores: Record<string, CoreTimes> } {
  const cpuMs: Record<string, number | null> = {};
  for (const name of Object.keys(before.cpuMs)) {
    const a = before.cpuMs[name];
    const b = after.cpuMs[name];
    // max(0, …): a sum over a command's processes drops when one of them exits in between.
    cpuMs[name] = a === null || a === undefined || b === null || b === undefined ? null : Math.max(0, b - a);
  }
  const cores: Record<string, CoreTimes> = {};
  for (const [name, b] of Object.entries(after.cores)) {
    const a = before.cores[name];
    if (a) cores[name] = { busy: b.busy - a.busy, idle: b.idle - a.idle, iowait: b.iowait - a.iowait, steal: b.steal - a.steal };
  }
  return { wallMs: after.at - before.at, cpuMs, cores };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Keeps the last `limit` characters a child printed, for error messages. */
export function captureOutput(child: ChildProcess, limit = 20_000): () => string {
  let output = "";
  const add = (data: Buffer) => {
    output += data.toString("utf8");
    if (output.length > limit * 2) output = output.slice(-limit);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => output.slice(-limit);
}
