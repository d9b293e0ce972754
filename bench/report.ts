/** The printed tables, the targets from the issue, and the JSON written to bench/results/. */
import type { LatencySummary } from "./protocol";
import { formatGc, type GcSummary } from "./gc";
import { formatProfile, type ProfileSummary } from "./profile";
import type { Expected, Verification } from "./setup";
import { renderStreamTable, STREAM_TARGETS, type StreamScenario } from "./streams";

/**
 * What a row measured. Chat Completions: the fake upstream's /v1/chat/completions called directly,
 * through the bare Node proxy (the floor, bench/bare-proxy.ts), through RootAPI (direct dispatch),
 * through Next's route handler. Messages: the fake's /v1/messages
 * called directly, RootAPI's /v1/messages relayed natively to the `anthropic` channel, and RootAPI's
 * /v1/messages on the `openai` channel's model (translated to chat and back).
 */
export type TargetKey = "upstream" | "floor" | "gateway" | "next" | "upstreamMessages" | "messages" | "translated";

export const LABELS: Record<TargetKey, string> = {
  upstream: "upstream direct",
  floor: "bare node proxy",
  gateway: "rootapi (direct)",
  next: "rootapi via Next",
  upstreamMessages: "upstream messages direct",
  messages: "rootapi messages native",
  translated: "rootapi messages→chat",
};

export const TTFB_LABELS: Record<TargetKey, string> = {
  upstream: "stream TTFB direct",
  floor: "stream TTFB bare proxy",
  gateway: "stream TTFB rootapi",
  next: "stream TTFB via Next",
  upstreamMessages: "messages stream TTFB direct",
  messages: "messages stream TTFB native",
  translated: "messages stream TTFB →chat",
};

/**
 * The direct row a RootAPI row is compared with: the same upstream work. A translated /v1/messages
 * request costs the upstream one chat completion, so its baseline is the direct chat call.
 */
export const BASELINE: Record<TargetKey, TargetKey | null> = {
  upstream: null,
  floor: "upstream",
  gateway: "upstream",
  next: "upstream",
  upstreamMessages: null,
  messages: "upstreamMessages",
  translated: "upstream",
};

/** The API a row's client spoke (for grouping the tables). */
export const API: Record<TargetKey, "chat" | "messages"> = {
  upstream: "chat",
  floor: "chat",
  gateway: "chat",
  next: "chat",
  upstreamMessages: "messages",
  messages: "messages",
  translated: "messages",
};

/** Percent of one core used by each process during a measured window, and how busy the machine was. */
export interface CoreUse {
  loadgen: number | null;
  upstream: number | null;
  gateway: number | null;
  /** The PostgreSQL server (all its processes), with --postgres. */
  database: number | null;
  /** Busy share of each core (all processes, kernel included), e.g. { cpu0: 99, cpu1: 97 }. */
  cores: Record<string, number>;
  /** CPU used by everything that is not this benchmark (other processes, kernel threads), % of one core. */
  other: number | null;
  /** Time the hypervisor gave to others (steal) or spent waiting for disk (iowait), % of one core. */
  steal: number | null;
  iowait: number | null;
}

export interface Point {
  target: TargetKey;
  connections: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  responses: number;
  ok: number;
  non2xx: number;
  errors: number;
  elapsedMs: number;
  cpuPercent: CoreUse;
  /** Gateway CPU (user + system, all threads) per response over the measured window. */
  gatewayCpuMsPerRequest: number | null;
  /** The part of it on the main (JavaScript) thread; the rest is GC helpers, the libuv pool… */
  gatewayMainThreadCpuMsPerRequest: number | null;
}

export interface TtfbPoint {
  target: TargetKey;
  requests: number;
  requestsPerSecond: number;
  ttfb: LatencySummary;
  total: LatencySummary;
  non2xx: number;
  errors: number;
  incomplete: number;
  cpuPercent: CoreUse;
  gatewayCpuMsPerRequest: number | null;
  gatewayMainThreadCpuMsPerRequest: number | null;
}

export interface GatewayRun {
  target: TargetKey;
  startupMs: number;
  rssIdleMb: number;
  rssMaxMb: number;
  /** Cumulative over the database: this run and the ones before it. */
  expected: Expected;
  verification: Verification;
}

export interface TargetCheck {
  /** Which rows it is about: an API route ("chat completions", "messages, native …") or "process" (RSS). */
  group: string;
  name: string;
  ok: boolean | null;
  value: string;
}

const fmt = (v: number, digits = 2) => v.toFixed(digits);
const int = (v: number) => Math.round(v).toLocaleString("en-US");
const pct = (v: number | null) => (v === null ? "-" : `${Math.round(v)}%`);

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

const withDelta = (value: number, base: number | undefined) => (base === undefined ? fmt(value) : `${fmt(value)} (${value - base >= 0 ? "+" : ""}${fmt(value - base)})`);

/** The rows `points`, each compared with its baseline row (looked up in `all`: it may be in another table). */
export function throughputTable(points: Point[], all: Point[] = points): string {
  const baseline = (p: Point) => {
    const key = BASELINE[p.target];
    return key === null ? undefined : all.find((b) => b.target === key && b.connections === p.connections);
  };
  const rows = points.map((p) => {
    const base = baseline(p);
    return [
      LABELS[p.target],
      String(p.connections),
      int(p.requestsPerSecond),
      base ? `${fmt(p.requestsPerSecond / base.requestsPerSecond)}x` : "",
      withDelta(p.latency.p50, base?.latency.p50),
      withDelta(p.latency.p90, base?.latency.p90),
      withDelta(p.latency.p99, base?.latency.p99),
      int(p.non2xx + p.errors),
    ];
  });
  return table(["target", "conns", "req/s", "vs direct", "p50 ms", "p90 ms", "p99 ms", "non-2xx"], rows, [false, true, true, true, true, true, true, true]);
}

export function ttfbTable(points: TtfbPoint[]): string {
  const rows = points.map((p) => {
    const key = BASELINE[p.target];
    const b = key === null ? undefined : points.find((q) => q.target === key);
    return [
      TTFB_LABELS[p.target],
      "1",
      int(p.requestsPerSecond),
      withDelta(p.ttfb.p50, b?.ttfb.p50),
      withDelta(p.ttfb.p90, b?.ttfb.p90),
      withDelta(p.ttfb.p99, b?.ttfb.p99),
      withDelta(p.total.p50, b?.total.p50),
      int(p.non2xx + p.errors + p.incomplete),
    ];
  });
  return table(["target", "conns", "streams/s", "TTFB p50 ms", "TTFB p90 ms", "TTFB p99 ms", "whole stream p50", "failed"], rows, [false, true, true, true, true, true, true, true]);
}

export function cpuTable(points: Point[], ttfb: TtfbPoint[]): string {
  const ms = (v: number | null) => (v === null ? "-" : fmt(v, 3));
  const row = (label: string, conns: number, p: Point | TtfbPoint) => [
    label,
    String(conns),
    pct(p.cpuPercent.loadgen),
    pct(p.cpuPercent.upstream),
    pct(p.cpuPercent.gateway),
    pct(p.cpuPercent.database),
    ms(p.gatewayCpuMsPerRequest),
    ms(p.gatewayMainThreadCpuMsPerRequest),
    Object.values(p.cpuPercent.cores).map((v) => `${Math.round(v)}%`).join(" / ") || "-",
    pct(p.cpuPercent.other),
  ];
  const rows = [...points.map((p) => row(LABELS[p.target], p.connections, p)), ...ttfb.map((p) => row(`${LABELS[p.target]} (stream)`, 1, p))];
  const headers = ["target", "conns", "load gen", "upstream", "gateway", "postgres", "gateway ms/req", "…main thread", "core 0 / 1 busy", "other"];
  // The postgres column only with --postgres.
  const keep = headers.map((h) => h !== "postgres" || [...points, ...ttfb].some((p) => p.cpuPercent.database !== null));
  const pick = <T,>(cells: T[]) => cells.filter((_, i) => keep[i]);
  return table(pick(headers), rows.map(pick), pick(headers.map((_, i) => i > 0)));
}

export interface Limits {
  addedP50Ms: number;
  addedP99Ms: number;
  requestsPerSecond16: number;
  cpuMsPerRequest: number;
  ttfbOverheadMs: number;
  rssMb: number;
  /** RootAPI's req/s at 16 connections as a share of the bare proxy's on the same core. */
  floorShare16: number;
}

export const TARGETS: Limits = { addedP50Ms: 0.5, addedP99Ms: 2, requestsPerSecond16: 2000, cpuMsPerRequest: 0.5, ttfbOverheadMs: 1, rssMb: 250, floorShare16: 0.8 };

/** The RootAPI rows held to the targets (direct dispatch), by the API route they measure. */
const TARGET_GROUPS: { group: string; target: TargetKey }[] = [
  { group: "chat completions", target: "gateway" },
  { group: "messages, native (anthropic channel)", target: "messages" },
  { group: "messages → chat (openai channel)", target: "translated" },
];

export function evaluateTargets(points: Point[], ttfb: TtfbPoint[], runs: GatewayRun[]): TargetCheck[] {
  const find = (t: TargetKey, c: number) => points.find((p) => p.target === t && p.connections === c);
  const check = (group: string, name: string, value: number | undefined, limit: number, better: "lower" | "higher", show: (v: number) => string): TargetCheck =>
    value === undefined ? { group, name, ok: null, value: "not measured" } : { group, name, ok: better === "lower" ? value <= limit : value >= limit, value: show(value) };
  const ms = (v: number) => `${v >= 0 ? "+" : ""}${fmt(v)} ms`;
  const checks: TargetCheck[] = [];
  for (const { group, target } of TARGET_GROUPS) {
    const base = BASELINE[target]!;
    // Rows that were not run at all (e.g. --no-messages) are left out rather than listed as "not measured".
    if (!points.some((p) => p.target === target) && !ttfb.some((p) => p.target === target)) continue;
    const up1 = find(base, 1);
    const gw1 = find(target, 1);
    const gw16 = find(target, 16);
    const floor16 = find("floor", 16);
    const upT = ttfb.find((p) => p.target === base);
    const gwT = ttfb.find((p) => p.target === target);
    checks.push(
      check(group, `added latency at 1 conn, p50 ≤ ${TARGETS.addedP50Ms} ms`, up1 && gw1 ? gw1.latency.p50 - up1.latency.p50 : undefined, TARGETS.addedP50Ms, "lower", ms),
      check(group, `added latency at 1 conn, p99 ≤ ${TARGETS.addedP99Ms} ms`, up1 && gw1 ? gw1.latency.p99 - up1.latency.p99 : undefined, TARGETS.addedP99Ms, "lower", ms),
      check(group, `throughput at 16 conns ≥ ${int(TARGETS.requestsPerSecond16)} req/s`, gw16?.requestsPerSecond, TARGETS.requestsPerSecond16, "higher", (v) => `${int(v)} req/s`),
      check(group, `throughput at 16 conns ≥ ${TARGETS.floorShare16 * 100}% of the bare proxy's`, gw16 && floor16 ? gw16.requestsPerSecond / floor16.requestsPerSecond : undefined, TARGETS.floorShare16, "higher", (v) => `${Math.round(v * 100)}%`),
      check(group, `gateway CPU per request ≤ ${TARGETS.cpuMsPerRequest} ms (16 conns)`, gw16?.gatewayCpuMsPerRequest ?? undefined, TARGETS.cpuMsPerRequest, "lower", (v) => `${fmt(v, 3)} ms`),
      check(group, `stream TTFB overhead ≤ ${TARGETS.ttfbOverheadMs} ms (p50)`, upT && gwT ? gwT.ttfb.p50 - upT.ttfb.p50 : undefined, TARGETS.ttfbOverheadMs, "lower", ms),
    );
  }
  const gwRun = runs.find((r) => r.target === "gateway");
  checks.push(check("process", `RSS under load ≤ ${TARGETS.rssMb} MB`, gwRun?.rssMaxMb, TARGETS.rssMb, "lower", (v) => `${int(v)} MB`));
  return checks;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; kernel: string; memoryMb: number };
  database: "sqlite" | "postgresql";
  redis: boolean;
  placement: { pinned: boolean; loadGeneratorCore: number | null; upstreamCore: number | null; gatewayCore: number | null; note: string };
  options: Record<string, unknown>;
  points: Point[];
  ttfb: TtfbPoint[];
  gatewayRuns: GatewayRun[];
  targets: TargetCheck[];
  profile: ProfileReport | null;
  /** The stream-concurrency scenario (--streams), which replaces the request points. */
  streams: Pick<StreamScenario, "points" | "openFilesLimit"> | null;
  valid: boolean;
  problems: string[];
}

export interface ProfileReport extends ProfileSummary {
  /** What the gateway served while profiled (--profile-route): chat completions, native or translated /v1/messages. */
  route: "chat" | "messages" | "translated";
  /** Sequential streams on one connection (--profile-stream) rather than 16 connections of whole answers. */
  stream: boolean;
  /** The .cpuprofile, relative to the repository. */
  file: string;
  /** Requests served in the window, or with `--streams` content chunks relayed (then per-"request" figures are per chunk). */
  requests: number;
  unit: "req" | "chunk";
  requestsPerSecond: number;
  cpuMsPerRequest: number | null;
  mainThreadCpuMsPerRequest: number | null;
  gc: GcSummary[];
  heapAfterGcMb: { min: number; max: number } | null;
  gcWindowMs: number;
}

const PROFILED: Record<ProfileReport["route"], string> = {
  chat: "/v1/chat/completions",
  messages: "/v1/messages relayed natively",
  translated: "/v1/messages translated to chat",
};

const mark = (ok: boolean | null) => (ok === null ? "?" : ok ? "✓" : "✗");

/** The request points' tables: throughput and latency, stream TTFB, CPU, and what limited them. */
function requestTables(r: BenchReport): string[] {
  const lines: string[] = [];
  const chat = r.points.filter((p) => API[p.target] === "chat");
  const messages = r.points.filter((p) => API[p.target] === "messages");
  lines.push("", "POST /v1/chat/completions:", throughputTable(chat, r.points));
  if (messages.length) {
    lines.push(
      "",
      "POST /v1/messages (native rows vs the upstream's /v1/messages direct; messages→chat rows vs the upstream's chat direct row above — the same upstream work):",
      throughputTable(messages, r.points),
    );
  }
  lines.push("", ttfbTable(r.ttfb), "");
  lines.push("CPU during each measured window (% of one core; user + system from /proc/<pid>/stat; other = the rest of the machine):");
  lines.push(cpuTable(r.points, r.ttfb));

  const saturated = r.points.filter((p) => BASELINE[p.target] === null && (p.cpuPercent.loadgen ?? 0) + (p.cpuPercent.upstream ?? 0) > 90);
  if (saturated.length && r.placement.upstreamCore === r.placement.loadGeneratorCore) {
    lines.push(
      `note: at ${[...new Set(saturated.map((p) => p.connections))].join("/")} conns the direct upstream rows are bound by core 0 (load generator + upstream busy together), ` +
        "not by the upstream alone: they are a floor for latency and a ceiling of what this client core can drive, not the upstream's capacity.",
    );
  }
  const measured = [...r.points, ...r.ttfb];
  const worst = (pick: (c: CoreUse) => number | null) => Math.max(0, ...measured.map((p) => pick(p.cpuPercent) ?? 0));
  const [other, steal, iowait] = [worst((c) => c.other), worst((c) => c.steal), worst((c) => c.iowait)];
  if (other > 10 || steal > 5) {
    lines.push(
      `note: something else competed for the CPU during measurements (up to ${Math.round(other)}% of a core used by other processes, ` +
        `${Math.round(steal)}% stolen by the hypervisor): numbers may be disturbed.`,
    );
  }
  if (iowait > 5) lines.push(`note: up to ${Math.round(iowait)}% of a core's time went to waiting for disk (the database's writes, or other processes').`);

  return lines;
}

/** The whole printed report. */
export function renderReport(r: BenchReport): string {
  const lines: string[] = [];
  const o = r.options as { duration: number; warmup: number; ttfbRequests: number; streamSeconds: number; streamOpenRate: number; streamProbes: number };
  lines.push(
    `RootAPI gateway benchmark — ${r.database === "sqlite" ? "SQLite" : "PostgreSQL"}${r.redis ? ", rate limits in Redis" : ""}, Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}; ` +
      (r.streams
        ? `streams of ${o.streamSeconds} s opened at ${o.streamOpenRate}/s, ${o.streamProbes} fresh requests probed per point`
        : `${o.duration} s per point after ${o.warmup} s warm-up, ${o.ttfbRequests} streams per TTFB row`),
  );
  lines.push(`placement: ${r.placement.note}`);
  if (r.database === "postgresql") lines.push("note: the PostgreSQL server runs unpinned; its CPU is in the postgres column, not in the gateway's figures.");
  if (r.streams) {
    const { busy, held } = STREAM_TARGETS;
    lines.push(
      "",
      "long streams held at once (POST /v1/chat/completions, stream: true): per point, the same paced streams upstream direct, through the bare proxy (the floor) and through rootapi; " +
        "\"added\" = rootapi's chunk delay (upstream send → client) minus the direct run's, over the window while every stream is open; " +
        "CPU per relayed chunk and the gateway core's use over that window (floor p99 and floor µs: the same for the bare proxy); TTFB +ms = a fresh short stream's first byte, rootapi minus direct, sent while they are held; " +
        `targets at ${busy.streams.toLocaleString("en-US")} × ${busy.intervalMs} ms and ${held.streams.toLocaleString("en-US")} × ${held.intervalMs} ms below.`,
      renderStreamTable(r.streams),
    );
  } else lines.push(...requestTables(r));
  lines.push("");
  for (const run of r.gatewayRuns) {
    const cpu = r.points.find((p) => p.target === run.target && p.connections === 16)?.gatewayCpuMsPerRequest;
    lines.push(
      `${LABELS[run.target].padEnd(17)} ${cpu !== null && cpu !== undefined ? `${fmt(cpu, 3)} ms CPU per request at 16 conns; ` : ""}` +
        `RSS ${int(run.rssIdleMb)} MB idle, ${int(run.rssMaxMb)} MB max under load; ready in ${fmt(run.startupMs / 1000, 1)} s`,
    );
  }
  const d16 = r.points.find((p) => p.target === "gateway" && p.connections === 16);
  const n16 = r.points.find((p) => p.target === "next" && p.connections === 16);
  if (d16 && n16) {
    lines.push(
      `direct dispatch vs Next route handler at 16 conns: ${int(d16.requestsPerSecond)} vs ${int(n16.requestsPerSecond)} req/s ` +
        `(${fmt(d16.requestsPerSecond / n16.requestsPerSecond, 1)}x)` +
        (d16.gatewayCpuMsPerRequest !== null && n16.gatewayCpuMsPerRequest !== null
          ? `, ${fmt(d16.gatewayCpuMsPerRequest, 3)} vs ${fmt(n16.gatewayCpuMsPerRequest, 3)} ms CPU per request`
          : ""),
    );
  }

  const f1 = r.points.find((p) => p.target === "floor" && p.connections === 1);
  const f16 = r.points.find((p) => p.target === "floor" && p.connections === 16);
  const u1 = r.points.find((p) => p.target === "upstream" && p.connections === 1);
  const g1 = r.points.find((p) => p.target === "gateway" && p.connections === 1);
  if (d16 && f16) lines.push(`rootapi vs the bare proxy (the floor) at 16 conns: ${int(d16.requestsPerSecond)} vs ${int(f16.requestsPerSecond)} req/s (${Math.round((d16.requestsPerSecond / f16.requestsPerSecond) * 100)}% of the floor)`);
  if (u1 && f1 && g1) {
    const added = (p: Point) => `+${fmt(p.latency.p50 - u1.latency.p50)} / +${fmt(p.latency.p99 - u1.latency.p99)} ms`;
    lines.push(`added latency at 1 conn (p50 / p99): rootapi ${added(g1)}, bare proxy ${added(f1)}`);
  }

  const m16 = r.points.find((p) => p.target === "messages" && p.connections === 16);
  const t16 = r.points.find((p) => p.target === "translated" && p.connections === 16);
  if (d16 && (m16 || t16)) {
    const cpu = (p: Point | undefined) => (p?.gatewayCpuMsPerRequest != null ? fmt(p.gatewayCpuMsPerRequest, 3) : "-");
    const rps = (p: Point | undefined) => (p ? int(p.requestsPerSecond) : "-");
    lines.push(
      `chat vs messages native vs messages→chat at 16 conns: ${rps(d16)} / ${rps(m16)} / ${rps(t16)} req/s, ` + `${cpu(d16)} / ${cpu(m16)} / ${cpu(t16)} ms CPU per request`,
    );
  }

  lines.push("", "targets (direct dispatch, full pipeline: auth, limits, hold, relay, metering, ledger write, log):");
  const width = Math.max(...r.targets.map((t) => t.name.length));
  let group = "";
  for (const t of r.targets) {
    if (t.group !== group && t.group !== "process") lines.push(`  ${t.group}:`);
    group = t.group;
    lines.push(`  ${t.group === "process" ? "" : "  "}${mark(t.ok)} ${t.name.padEnd(width)}  ${t.value}`);
  }

  lines.push("", "correctness (the database once settlement caught up, cumulative over the gateway runs):");
  for (const run of r.gatewayRuns) {
    lines.push(`  after ${LABELS[run.target]} (waited ${run.verification.waitedMs} ms for settlement and the idle lease to go back):`);
    for (const c of run.verification.checks) lines.push(`    ${mark(c.ok)} ${c.name}: ${c.detail}`);
  }
  lines.push(`  ${mark(r.valid)} no non-2xx responses, connection errors or failed checks during the run${r.valid ? "" : ":"}`);
  for (const problem of r.problems) lines.push(`    ✗ ${problem}`);

  const p = r.profile;
  if (p) {
    lines.push(
      "",
      (p.unit === "chunk"
        ? `where the gateway's CPU goes holding the last point's streams (--cpu-prof --trace-gc, ${int(p.requestsPerSecond)} chunks/s while profiled` +
          (p.cpuMsPerRequest !== null ? `, ${fmt(p.cpuMsPerRequest * 1000, 1)} µs CPU/chunk` : "")
        : `where the gateway's CPU goes ${p.stream ? "on sequential streams of" : "at 16 connections on"} ${PROFILED[p.route]} (--cpu-prof --trace-gc, ${int(p.requestsPerSecond)} req/s while profiled` +
          (p.cpuMsPerRequest !== null && p.mainThreadCpuMsPerRequest !== null
            ? `, ${fmt(p.cpuMsPerRequest, 3)} ms CPU/req of which ${fmt(p.mainThreadCpuMsPerRequest, 3)} on the main thread`
            : "")) +
        `; ${p.file}):`,
      formatGc(p.gc, p.heapAfterGcMb, p.gcWindowMs, p.requests, p.unit === "chunk" ? "chunk" : "request"),
      formatProfile(p, p.requests, p.unit),
    );
  }
  return lines.join("\n");
}
