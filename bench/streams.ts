/**
 * The stream-concurrency scenario (`npm run bench -- --streams`): the capacity curve of one gateway
 * core holding many long streams at once. For each chunk interval (100 ms, then 1 s: holding cost
 * alone) and each stream count, the same paced streams are opened against the fake upstream
 * directly and through RootAPI; while all of them are open (the steady window) the load generator
 * samples every chunk's delay and probes the time to first byte of fresh requests. The gateway's
 * numbers are read against the direct run's, so the load generator's and upstream's own delays cancel.
 */
import type { BenchOptions } from "./args";
import { cpuDelta, cpuSnapshot, nowUs, openFilesHardLimit, RssSampler, type CpuSnapshot } from "./proc";
import type { GatewayProc, LoadGenerator, UpstreamProc } from "./processes";
import type { LatencySummary, StreamsResult } from "./protocol";
import type { TargetCheck } from "./report";
import type { Expected, World } from "./setup";

const MB = 1024 * 1024;
/** Descriptors a process needs besides its streams' sockets (files, the database, pools, stdio…). */
const SPARE_FDS = 512;

export interface StreamPoint {
  /** The fake upstream called directly, the bare proxy (the floor: what Node itself costs) or RootAPI. */
  target: "upstream" | "floor" | "gateway";
  intervalMs: number;
  /** Streams held (what was asked for, unless the open-files limit capped it: see `requested`). */
  streams: number;
  requested: number;
  result: StreamsResult;
  /** % of one core over the steady window. */
  cpuPercent: { loadgen: number | null; upstream: number | null; gateway: number | null; cores: Record<string, number> };
  /** Gateway (or bare proxy) CPU, all threads, per content chunk relayed in the steady window, µs. */
  gatewayCpuUsPerChunk: number | null;
  /** The gateway's largest RSS during the point, MB. */
  rssMaxMb: number | null;
  /** The steady window: on the monotonic clock a CPU profile's timestamps share (µs), and as performance.now() (ms). */
  window: { fromUs: number; toUs: number; fromMs: number; toMs: number } | null;
}

export interface StreamScenario {
  points: StreamPoint[];
  /** Responses the gateway gave during the scenario (paced streams and probes): the database must show each once. */
  expected: Expected;
  problems: string[];
  openFilesLimit: number;
}

interface Context {
  opts: BenchOptions;
  load: LoadGenerator;
  upstream: UpstreamProc;
  gateway: GatewayProc;
  /** The bare proxy on the gateway's core: every point is measured through it too. */
  floor: UpstreamProc;
  world: World;
  progress: (message: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runStreamScenario(ctx: Context): Promise<StreamScenario> {
  const { opts, load, upstream, gateway, floor, world, progress } = ctx;
  const messages = [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Tell me a long story." },
  ];
  const headers = { "content-type": "application/json", authorization: `Bearer ${world.apiKey}` };
  const probeBody = JSON.stringify({ model: world.model, messages, stream: true });
  const openFilesLimit = openFilesHardLimit();
  // The gateway holds two sockets per stream (the client's, the upstream's); the others one.
  const cap = Math.floor((openFilesLimit - SPARE_FDS) / 2);
  const points: StreamPoint[] = [];
  const problems: string[] = [];
  const expected: Expected = { responses: 0, ok: 0 };

  for (const intervalMs of opts.streamIntervals) {
    const chunks = Math.max(1, Math.round((opts.streamSeconds * 1000) / intervalMs));
    const body = JSON.stringify({ model: world.model, messages, stream: true, bench_pace: { every_ms: intervalMs, chunks } });
    for (const requested of opts.streamCounts) {
      const streams = Math.min(requested, cap);
      for (const target of ["upstream", "floor", "gateway"] as const) {
        const onGateway = target === "gateway";
        const proxy = { upstream: null, floor, gateway }[target];
        const url = `${{ upstream: upstream.url, floor: floor.url, gateway: `${gateway.url}/v1` }[target]}/chat/completions`;
        const pids = { loadgen: load.pid, upstream: upstream.pid, gateway: proxy?.pid };
        const rss = proxy ? new RssSampler(proxy.pid, 100) : null;
        let steady: CpuSnapshot | null = null;
        let end: CpuSnapshot | null = null;
        const window = { fromUs: 0, toUs: 0, fromMs: 0, toMs: 0 };
        const at = (edge: "from" | "to") => ((window[`${edge}Us`] = nowUs()), (window[`${edge}Ms`] = performance.now()));
        progress(`${streams.toLocaleString("en-US")} streams × a chunk every ${intervalMs} ms for ${opts.streamSeconds} s, ${{ upstream: "upstream direct", floor: "through the bare proxy", gateway: "through rootapi" }[target]}`);
        const result = await load.streams(
          {
            url,
            body,
            probeBody,
            headers,
            endMarker: "data: [DONE]",
            streams,
            openPerSecond: opts.streamOpenRate,
            probes: opts.streamProbes,
            deadlineMs: (streams / opts.streamOpenRate) * 1000 + opts.streamSeconds * 1000 + 60_000,
          },
          (mark) => (mark === "steady" ? ((steady = cpuSnapshot(pids)), at("from")) : ((end = cpuSnapshot(pids)), at("to"))),
        );
        rss?.stop();
        const point = { ...measure(target, intervalMs, streams, requested, result, steady, end, rss), window: window.toUs ? window : null };
        points.push(point);
        if (onGateway) {
          expected.responses += result.responses + result.probeResponses;
          expected.ok += result.ok + result.probeOk;
        }
        const failed = result.responses - result.ok + result.errors + result.incomplete + result.probeFailures;
        if (failed) problems.push(`${target} ${streams} streams @${intervalMs} ms: ${failed} failed (${JSON.stringify(result.statusCounts)}, ${result.errors} errors, ${result.incomplete} incomplete, ${result.probeFailures} probes)`);
        if (!result.windowMs) problems.push(`${target} ${streams} streams @${intervalMs} ms: the streams ended before all of them were open (no steady window): lengthen --stream-seconds`);
        progress(
          `  chunk delay p50 ${result.chunkDelay.p50.toFixed(2)} ms, p99 ${result.chunkDelay.p99.toFixed(2)} ms over ${result.windowChunks.toLocaleString("en-US")} chunks; ` +
            `probe TTFB p50 ${result.probeTtfb.p50.toFixed(2)} ms` +
            (point.gatewayCpuUsPerChunk !== null ? `; ${point.gatewayCpuUsPerChunk.toFixed(1)} µs gateway CPU per chunk` : "") +
            (point.rssMaxMb !== null ? `; RSS ${Math.round(point.rssMaxMb)} MB` : ""),
        );
        // Let the closed connections go before the next point opens thousands more.
        await sleep(2_000);
      }
    }
  }
  return { points, expected, problems, openFilesLimit };
}

function measure(
  target: StreamPoint["target"],
  intervalMs: number,
  streams: number,
  requested: number,
  result: StreamsResult,
  steady: CpuSnapshot | null,
  end: CpuSnapshot | null,
  rss: RssSampler | null,
): Omit<StreamPoint, "window"> {
  const delta = steady && end ? cpuDelta(steady, end) : null;
  const percent = (ms: number | null | undefined) => (delta && ms !== null && ms !== undefined && delta.wallMs > 0 ? (ms / delta.wallMs) * 100 : null);
  const cores: Record<string, number> = {};
  for (const [name, t] of Object.entries(delta?.cores ?? {})) {
    const total = t.busy + t.idle + t.iowait + t.steal;
    if (name !== "all" && total > 0) cores[name] = (t.busy / total) * 100;
  }
  const gatewayMs = delta?.cpuMs.gateway;
  return {
    target,
    intervalMs,
    streams,
    requested,
    result,
    cpuPercent: { loadgen: percent(delta?.cpuMs.loadgen), upstream: percent(delta?.cpuMs.upstream), gateway: percent(gatewayMs), cores },
    gatewayCpuUsPerChunk: gatewayMs !== null && gatewayMs !== undefined && result.windowChunks > 0 ? (gatewayMs * 1000) / result.windowChunks : null,
    rssMaxMb: rss ? rss.max / MB : null,
  };
}

/** The issue's targets for one gateway core. */
export const STREAM_TARGETS = {
  /** At 2,000 streams × a chunk every 100 ms. */
  busy: { streams: 2000, intervalMs: 100, addedChunkP99Ms: 5, cpuUsPerChunk: 20, ttfbOverheadMs: 2 },
  /** 10,000 streams × a chunk every second: holding them. */
  held: { streams: 10000, intervalMs: 1000, rssMb: 1024 },
};

const pairs = (points: StreamPoint[]) =>
  points.filter((p) => p.target === "gateway").map((gw) => {
    const at = (target: StreamPoint["target"]) => points.find((d) => d.target === target && d.intervalMs === gw.intervalMs && d.streams === gw.streams);
    return { gw, direct: at("upstream"), floor: at("floor") };
  });

const added = (gw: LatencySummary, direct: LatencySummary | undefined, key: "p50" | "p99") => (direct ? gw[key] - direct[key] : undefined);

export function evaluateStreamTargets(points: StreamPoint[]): TargetCheck[] {
  const { busy, held } = STREAM_TARGETS;
  const group = "long streams, one gateway core";
  const find = (streams: number, intervalMs: number) => pairs(points).find(({ gw }) => gw.requested === streams && gw.intervalMs === intervalMs);
  const checks: TargetCheck[] = [];
  const check = (name: string, value: number | undefined, limit: number, show: (v: number) => string, note = "") =>
    checks.push(value === undefined ? { group, name, ok: null, value: "not measured" } : { group, name, ok: value <= limit, value: show(value) + note });
  const ms = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(2)} ms`;
  const b = find(busy.streams, busy.intervalMs);
  const capped = (p: StreamPoint | undefined) => (p && p.streams < p.requested ? ` (at ${p.streams.toLocaleString("en-US")} streams: the open-files limit)` : "");
  check(`added per-chunk latency p99 ≤ ${busy.addedChunkP99Ms} ms at 2,000 streams × 10 chunks/s`, b && added(b.gw.result.chunkDelay, b.direct?.result.chunkDelay, "p99"), busy.addedChunkP99Ms, ms, capped(b?.gw));
  check(`gateway CPU ≤ ${busy.cpuUsPerChunk} µs per chunk at 2,000 streams × 10 chunks/s`, b?.gw.gatewayCpuUsPerChunk ?? undefined, busy.cpuUsPerChunk, (v) => `${v.toFixed(1)} µs`, capped(b?.gw));
  check(`TTFB overhead of a fresh request ≤ ${busy.ttfbOverheadMs} ms (p50) at 2,000 streams`, b && added(b.gw.result.probeTtfb, b.direct?.result.probeTtfb, "p50"), busy.ttfbOverheadMs, ms, capped(b?.gw));
  const h = find(held.streams, held.intervalMs);
  check(`RSS ≤ ${held.rssMb} MB holding 10,000 streams × 1 chunk/s`, h?.gw.rssMaxMb ?? undefined, held.rssMb, (v) => `${Math.round(v)} MB`, capped(h?.gw));
  const errors = h ? h.gw.result.responses - h.gw.result.ok + h.gw.result.errors + h.gw.result.incomplete : undefined;
  check("zero errors holding 10,000 streams × 1 chunk/s", errors, 0, (v) => `${v} errors`, capped(h?.gw));
  return checks;
}

/** The capacity table: one row per (interval, stream count), the gateway read against the direct run. */
export function renderStreamTable(scenario: Pick<StreamScenario, "points" | "openFilesLimit">): string {
  const rows = pairs(scenario.points).map(({ gw, direct, floor }) => {
    const r = gw.result;
    const d = direct?.result;
    const f = floor?.result;
    const signed = (v: number | undefined) => (v === undefined ? "-" : `${v >= 0 ? "+" : ""}${v.toFixed(2)}`);
    const cores = Object.values(gw.cpuPercent.cores).map((v) => `${Math.round(v)}%`).join(" / ");
    const directCores = direct ? Object.values(direct.cpuPercent.cores).map((v) => `${Math.round(v)}%`).join(" / ") : "-";
    return [
      `${gw.intervalMs} ms`,
      `${gw.streams.toLocaleString("en-US")}${gw.streams < gw.requested ? "*" : ""}`,
      Math.round((r.windowChunks / Math.max(1, r.windowMs)) * 1000).toLocaleString("en-US"),
      signed(added(r.chunkDelay, d?.chunkDelay, "p50")),
      signed(added(r.chunkDelay, d?.chunkDelay, "p99")),
      f ? signed(added(f.chunkDelay, d?.chunkDelay, "p99")) : "-",
      gw.gatewayCpuUsPerChunk === null ? "-" : gw.gatewayCpuUsPerChunk.toFixed(1),
      floor?.gatewayCpuUsPerChunk == null ? "-" : floor.gatewayCpuUsPerChunk.toFixed(1),
      gw.cpuPercent.gateway === null ? "-" : `${Math.round(gw.cpuPercent.gateway)}%`,
      signed(added(r.probeTtfb, d?.probeTtfb, "p50")),
      gw.rssMaxMb === null ? "-" : String(Math.round(gw.rssMaxMb)),
      String(r.responses - r.ok + r.errors + r.incomplete + r.probeFailures),
      `${directCores} → ${cores}`,
    ];
  });
  const headers = ["every", "streams", "chunks/s", "added p50 ms", "added p99 ms", "floor p99", "µs CPU/chunk", "floor µs", "gateway core", "TTFB +ms", "RSS MB", "errors", "core 0 / 1 busy (direct → rootapi)"];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const capped = scenario.points.some((p) => p.streams < p.requested);
  return [
    line(headers),
    ...rows.map(line),
    ...(capped ? [`* capped by the open-files limit (${scenario.openFilesLimit}): the gateway needs two descriptors per stream`] : []),
  ].join("\n");
}
