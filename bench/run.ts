/**
 * `npm run bench`: the fake upstream measured directly and through RootAPI (the custom server's
 * direct /v1 dispatch, then Next's route handler), with the load generator on core 0 and the
 * gateway on core 1 — Chat Completions, and Anthropic's Messages relayed natively and translated.
 * Prints the tables, checks the issue's targets (for each route) and that every request was logged
 * and billed, and writes bench/results/<timestamp>.json. See bench/README.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseOptions, USAGE, type BenchOptions, type ProfileRoute } from "./args";
import { cleanUp, cleanUpOnExitSignals, isExiting, onCleanup } from "./cleanup";
import { coreTimes, cpuDelta, cpuSnapshot, hasTaskset, nowUs, pinProcess, RssSampler } from "./proc";
import { LoadGenerator, redact, ROOT, startBareProxyProcess, startGatewayProcess, startUpstreamProcess, type GatewayProc, type UpstreamProc } from "./processes";
import { GcLog } from "./gc";
import { summarizeProfile } from "./profile";
import type { HttpResult, TtfbResult } from "./protocol";
import {
  evaluateTargets,
  LABELS,
  renderReport,
  TTFB_LABELS,
  type BenchReport,
  type ProfileReport,
  type CoreUse,
  type GatewayRun,
  type Point,
  type TargetKey,
  type TtfbPoint,
} from "./report";
import { createWorld, verify, type Expected, type World } from "./setup";
import { evaluateStreamTargets, runStreamScenario, type StreamScenario } from "./streams";

const MB = 1024 * 1024;
const LOAD_CORE = 0;
const GATEWAY_CORE = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const progress = (message: string) => process.stderr.write(`· ${message}\n`);

const perRequest = (target: Target, cpuMs: number | null | undefined, requests: number) =>
  target.gateway && cpuMs !== null && cpuMs !== undefined && requests > 0 ? cpuMs / requests : null;

/** What a target's requests look like: the API's body (plain and streamed) and headers. */
interface Route {
  headers: Record<string, string>;
  body: string;
  streamBody: string;
  /** How a complete stream of this API ends. */
  endMarker: string;
}

interface Target {
  key: TargetKey;
  /** The endpoint: /v1/chat/completions or /v1/messages. */
  url: string;
  route: Route;
  gateway: GatewayProc | null;
  /**
   * Every response received from this target, warm-ups included (for the database checks). The
   * targets of one gateway process share one object: the database sees all of them.
   */
  totals: Expected;
}

/** The requests' API version header, as Anthropic's SDKs send it. */
const ANTHROPIC_VERSION = "2023-06-01";

interface Placement {
  pinned: boolean;
  load: number | null;
  upstream: number | null;
  gateway: number | null;
}

class Bench {
  readonly points: Point[] = [];
  readonly ttfb: TtfbPoint[] = [];
  readonly runs: GatewayRun[] = [];
  readonly problems: string[] = [];
  /** Chat Completions on the `openai` channel's model. */
  private readonly chat: Route;
  /** Messages on the `anthropic` channel's model (relayed natively), and on the `openai` channel's (translated). */
  private readonly nativeMessages: Route;
  private readonly translatedMessages: Route;

  constructor(
    readonly opts: BenchOptions,
    readonly placement: Placement,
    readonly load: LoadGenerator,
    readonly upstream: UpstreamProc,
    readonly world: World,
  ) {
    // A typical small chat request, as an SDK sends it.
    const messages = [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Say hello in one short sentence." },
    ];
    this.chat = {
      headers: { "content-type": "application/json", authorization: `Bearer ${world.apiKey}` },
      body: JSON.stringify({ model: world.model, messages }),
      streamBody: JSON.stringify({ model: world.model, messages, stream: true }),
      endMarker: "data: [DONE]",
    };
    // The same request in Anthropic's shape, as its SDK sends it (key in x-api-key).
    const messagesRoute = (model: string): Route => {
      const request = { model, max_tokens: 1024, system: messages[0]!.content, messages: [messages[1]!] };
      return {
        headers: { "content-type": "application/json", "x-api-key": world.apiKey, "anthropic-version": ANTHROPIC_VERSION },
        body: JSON.stringify(request),
        streamBody: JSON.stringify({ ...request, stream: true }),
        endMarker: "event: message_stop",
      };
    };
    this.nativeMessages = messagesRoute(world.messagesModel);
    this.translatedMessages = messagesRoute(world.model);
  }

  upstreamTarget(): Target {
    return { key: "upstream", url: `${this.upstream.url}/chat/completions`, route: this.chat, gateway: null, totals: { responses: 0, ok: 0 } };
  }

  /** The bare proxy on the gateway's core: its CPU shows in the gateway columns, it touches no database. */
  floorTarget(floor: UpstreamProc): Target {
    return { key: "floor", url: `${floor.url}/chat/completions`, route: this.chat, gateway: floor, totals: { responses: 0, ok: 0 } };
  }

  /** The fake upstream's Anthropic endpoint, called directly. */
  upstreamMessagesTarget(): Target {
    return { key: "upstreamMessages", url: `${this.upstream.url}/messages`, route: this.nativeMessages, gateway: null, totals: { responses: 0, ok: 0 } };
  }

  /** RootAPI's /v1/messages on a started gateway: relayed natively, or translated to chat. */
  messagesTarget(chat: Target, key: "messages" | "translated"): Target {
    return {
      key,
      url: chat.url.replace(/\/chat\/completions$/, "/messages"),
      route: key === "messages" ? this.nativeMessages : this.translatedMessages,
      gateway: chat.gateway,
      totals: chat.totals,
    };
  }

  private pids(target: Target) {
    const gateway = target.gateway?.pid;
    return {
      loadgen: this.load.pid,
      upstream: this.upstream.pid,
      gateway,
      gatewayMain: gateway === undefined ? undefined : ([gateway, gateway] as [number, number]),
      self: process.pid,
      // The PostgreSQL server's processes (all of them: the machine may have other clients).
      database: this.world.provider === "postgresql" ? "postgres" : undefined,
    };
  }

  private account(target: Target, what: string, r: HttpResult | TtfbResult): void {
    target.totals.responses += r.responses;
    target.totals.ok += r.ok;
    const non2xx = r.responses - r.ok;
    const incomplete = r.kind === "ttfb" ? r.incomplete : 0;
    if (non2xx || r.errors || incomplete) {
      this.problems.push(
        `${what}: ${non2xx} non-2xx responses ${JSON.stringify(r.statusCounts)}, ${r.errors} connection errors/timeouts` +
          (incomplete ? `, ${incomplete} streams without ${target.route.endMarker}` : ""),
      );
    }
  }

  private http(target: Target, connections: number, seconds: number) {
    return this.load.http({ url: target.url, body: target.route.body, headers: target.route.headers, connections, durationMs: seconds * 1000 });
  }

  async prewarm(target: Target): Promise<void> {
    if (this.opts.prewarm <= 0) return;
    progress(`prewarming ${LABELS[target.key]} for ${this.opts.prewarm} s`);
    this.account(target, `${LABELS[target.key]} prewarm`, await this.http(target, 16, this.opts.prewarm));
  }

  private coreUse(target: Target, delta: ReturnType<typeof cpuDelta>): CoreUse {
    const { wallMs, cpuMs, cores } = delta;
    const percent = (v: number | null | undefined) => (v === null || v === undefined || wallMs <= 0 ? null : (v / wallMs) * 100);
    const perCore: Record<string, number> = {};
    for (const [name, t] of Object.entries(cores)) {
      const total = t.busy + t.idle + t.iowait + t.steal;
      if (name !== "all" && total > 0) perCore[name] = (t.busy / total) * 100;
    }
    const all = cores.all;
    // Everything busy on the machine minus our own processes (this one included).
    const ours = (cpuMs.loadgen ?? 0) + (cpuMs.upstream ?? 0) + (cpuMs.gateway ?? 0) + (cpuMs.self ?? 0) + (cpuMs.database ?? 0);
    return {
      loadgen: percent(cpuMs.loadgen),
      upstream: percent(cpuMs.upstream),
      gateway: target.gateway ? percent(cpuMs.gateway) : null,
      database: percent(cpuMs.database),
      cores: perCore,
      other: all ? percent(Math.max(0, all.busy - ours)) : null,
      steal: all ? percent(all.steal) : null,
      iowait: all ? percent(all.iowait) : null,
    };
  }

  /** One throughput/latency point: a warm-up at this connection count, then the measured window. */
  async point(target: Target, connections: number, record = true, measuring?: () => void): Promise<Point> {
    if (this.opts.warmup > 0) this.account(target, `${LABELS[target.key]} ${connections} conns warm-up`, await this.http(target, connections, this.opts.warmup));
    measuring?.();
    const before = cpuSnapshot(this.pids(target));
    const r = await this.http(target, connections, this.opts.duration);
    const after = cpuSnapshot(this.pids(target));
    this.account(target, `${LABELS[target.key]} ${connections} conns`, r);
    const delta = cpuDelta(before, after);
    const { cpuMs } = delta;
    const gatewayCpu = cpuMs.gateway;
    const point: Point = {
      target: target.key,
      connections,
      requestsPerSecond: r.requestsPerSecond,
      latency: r.latency,
      responses: r.responses,
      ok: r.ok,
      non2xx: r.responses - r.ok,
      errors: r.errors,
      elapsedMs: r.elapsedMs,
      cpuPercent: this.coreUse(target, delta),
      gatewayCpuMsPerRequest: perRequest(target, gatewayCpu, r.responses),
      gatewayMainThreadCpuMsPerRequest: perRequest(target, cpuMs.gatewayMain, r.responses),
    };
    if (record) this.points.push(point);
    progress(
      `${LABELS[target.key]} @${connections}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms` +
        (point.gatewayCpuMsPerRequest !== null ? `, ${point.gatewayCpuMsPerRequest.toFixed(3)} ms CPU/req` : ""),
    );
    return point;
  }

  /** Streaming time-to-first-byte: sequential requests on one connection (--ttfb-requests of them, or for `seconds`). */
  async ttfbPoint(target: Target, record = true, measuring?: () => void, seconds?: number): Promise<TtfbPoint> {
    const job = { url: target.url, body: target.route.streamBody, headers: target.route.headers, endMarker: target.route.endMarker };
    const warm = Math.max(this.opts.warmup, 0.5);
    this.account(target, `${TTFB_LABELS[target.key]} warm-up`, await this.load.ttfb({ ...job, durationMs: warm * 1000 }));
    measuring?.();
    const before = cpuSnapshot(this.pids(target));
    const r = await this.load.ttfb(seconds === undefined ? { ...job, requests: this.opts.ttfbRequests } : { ...job, durationMs: seconds * 1000 });
    const after = cpuSnapshot(this.pids(target));
    this.account(target, TTFB_LABELS[target.key], r);
    const delta = cpuDelta(before, after);
    const { cpuMs } = delta;
    const gatewayCpu = cpuMs.gateway;
    const point: TtfbPoint = {
      target: target.key,
      requests: r.responses,
      requestsPerSecond: r.requestsPerSecond,
      ttfb: r.ttfb,
      total: r.total,
      non2xx: r.responses - r.ok,
      errors: r.errors,
      incomplete: r.incomplete,
      cpuPercent: this.coreUse(target, delta),
      gatewayCpuMsPerRequest: perRequest(target, gatewayCpu, r.responses),
      gatewayMainThreadCpuMsPerRequest: perRequest(target, cpuMs.gatewayMain, r.responses),
    };
    if (record) this.ttfb.push(point);
    progress(`${TTFB_LABELS[target.key]}: p50 ${r.ttfb.p50.toFixed(2)} ms, p99 ${r.ttfb.p99.toFixed(2)} ms over ${r.responses} streams`);
    return point;
  }

  /** Starts the real server on the gateway core and watches its memory. */
  async startGateway(key: "gateway" | "next", nodeOptions: string[] = [], onLine?: (line: string) => void) {
    await ensureBuild(); // again: a `next build` started meanwhile (in another terminal) removes BUILD_ID until it ends
    progress(`starting ${LABELS[key]}${nodeOptions.length ? " with the CPU profiler" : ""}`);
    const started = performance.now();
    const gateway = await startGatewayProcess({ env: this.world.env, core: this.placement.gateway, viaNext: key === "next", nodeOptions, onLine });
    const forget = onCleanup(`stop ${LABELS[key]}`, () => gateway.stop());
    const startupMs = performance.now() - started;
    await sleep(500);
    const rss = new RssSampler(gateway.pid, 100);
    const idle = rss.sample();
    const target: Target = { key, url: `${gateway.url}/v1/chat/completions`, route: this.chat, gateway, totals: { responses: 0, ok: 0 } };
    return { target, rss, idleRss: idle, startupMs, forget };
  }

  /** Waits for settlement, checks the database against everything the gateways answered so far, stops the gateway. */
  async finishGateway(run: Awaited<ReturnType<Bench["startGateway"]>>, earlier: Expected): Promise<Expected> {
    const expected = { responses: earlier.responses + run.target.totals.responses, ok: earlier.ok + run.target.totals.ok };
    const verification = await verify(this.world, expected);
    run.rss.stop();
    await run.target.gateway!.stop();
    run.forget();
    this.runs.push({
      target: run.target.key,
      startupMs: run.startupMs,
      rssIdleMb: run.idleRss / MB,
      rssMaxMb: run.rss.max / MB,
      expected,
      verification,
    });
    if (!verification.ok) {
      for (const check of verification.checks.filter((c) => !c.ok)) this.problems.push(`after ${LABELS[run.target.key]}: ${check.name} ✗ (${check.detail})`);
    }
    progress(`${LABELS[run.target.key]}: settlement verified ${verification.ok ? "✓" : "✗"} (${expected.responses} responses so far)`);
    return expected;
  }
}

/**
 * Helper of Bench.profile(): one gateway under --cpu-prof --trace-gc, measured on one route at 16
 * connections, or (`stream`) with sequential streams like a TTFB row.
 */
async function profileGateway(bench: Bench, stamp: string, expected: Expected, route: ProfileRoute, stream: boolean): Promise<{ profile: ProfileReport | null; expected: Expected }> {
  const profiler = new Profiler(stamp);
  const run = await bench.startGateway("gateway", profiler.nodeOptions, profiler.onLine);
  const pid = run.target.gateway!.pid;
  const target = route === "chat" ? run.target : bench.messagesTarget(run.target, route);
  await bench.prewarm(target);
  // point() and ttfbPoint() warm up first; the window is their measured part only.
  let fromUs = 0;
  let fromMs = 0;
  const measuring = () => ((fromUs = nowUs()), (fromMs = performance.now()));
  // Streams for as long as a point lasts: --ttfb-requests of them would be too short a profile.
  const measured = stream ? await bench.ttfbPoint(target, false, measuring, bench.opts.duration) : await bench.point(target, 16, false, measuring);
  const point = { ...measured, responses: "responses" in measured ? measured.responses : measured.requests };
  const toUs = nowUs();
  const toMs = performance.now();
  expected = await bench.finishGateway(run, expected);
  bench.runs.pop(); // its RSS and start-up time include the profiler; its database checks still count
  const file = profiler.collect(pid, `gateway${route === "chat" ? "" : `-${route}`}${stream ? "-stream" : ""}`);
  if (!file) {
    bench.problems.push("the gateway's CPU profile was not written");
    return { profile: null, expected };
  }
  return {
    expected,
    profile: {
      route,
      stream,
      ...summarizeProfile(file, ROOT, fromUs, toUs),
      file: path.relative(ROOT, file),
      requests: point.responses,
      unit: "req",
      requestsPerSecond: point.requestsPerSecond,
      cpuMsPerRequest: point.gatewayCpuMsPerRequest,
      mainThreadCpuMsPerRequest: point.gatewayMainThreadCpuMsPerRequest,
      ...profiler.gcOver(fromMs, toMs),
    },
  };
}

/** A gateway run under --cpu-prof --trace-gc: its flags, its GC log, and the main thread's profile once it exited. */
class Profiler {
  private readonly results = path.join(ROOT, "bench", "results");
  // Every thread with a V8 isolate (e.g. a module-loader thread) writes its own profile into this
  // directory; the main thread's is the one named …<pid>.0.<n>.cpuprofile.
  private readonly scratch: string;
  private readonly gc = new GcLog();
  readonly nodeOptions: string[];
  readonly onLine = (line: string) => this.gc.accept(line);

  constructor(private readonly stamp: string) {
    this.scratch = path.join(this.results, `.cpuprof-${stamp}`);
    mkdirSync(this.scratch, { recursive: true });
    onCleanup("remove the profiler's scratch dir", () => rmSync(this.scratch, { recursive: true, force: true }));
    this.nodeOptions = ["--cpu-prof", `--cpu-prof-dir=${this.scratch}`, "--cpu-prof-interval=250", "--trace-gc"];
  }

  /** Moves the main thread's profile to bench/results/<stamp>-<name>.cpuprofile; null if it was not written. */
  collect(pid: number, name: string): string | null {
    const main = readdirSync(this.scratch).find((f) => f.endsWith(".cpuprofile") && f.includes(`.${pid}.0.`));
    if (!main) return null;
    const file = path.join(this.results, `${this.stamp}-${name}.cpuprofile`);
    renameSync(path.join(this.scratch, main), file);
    return file;
  }

  gcOver(fromMs: number, toMs: number) {
    return { gc: this.gc.summary(fromMs, toMs), heapAfterGcMb: this.gc.heapAfterMb(fromMs, toMs), gcWindowMs: toMs - fromMs };
  }
}

/**
 * `--streams --profile`: the gateway ran the whole scenario under the profiler; the report covers
 * the steady window of its last point (profile one point with --stream-counts/--stream-intervals).
 */
function profileOfStreams(profiler: Profiler, pid: number, streams: StreamScenario, bench: Bench): ProfileReport | null {
  const point = streams.points.filter((p) => p.target === "gateway" && p.window).at(-1);
  const file = profiler.collect(pid, "gateway-streams");
  if (!file || !point?.window) {
    bench.problems.push(file ? "no steady window to read the profile over" : "the gateway's CPU profile was not written");
    return null;
  }
  const { fromUs: from, toUs: to, fromMs, toMs } = point.window;
  return {
    route: "chat",
    stream: true,
    ...summarizeProfile(file, ROOT, from, to),
    file: path.relative(ROOT, file),
    requests: point.result.windowChunks,
    unit: "chunk",
    requestsPerSecond: point.result.windowChunks / ((to - from) / 1e6),
    cpuMsPerRequest: point.gatewayCpuUsPerChunk === null ? null : point.gatewayCpuUsPerChunk / 1000,
    mainThreadCpuMsPerRequest: null,
    ...profiler.gcOver(fromMs, toMs),
  };
}

/**
 * The request points: the upstream direct, the bare proxy and RootAPI (direct dispatch) interleaved
 * point by point; at the connection counts of the /v1/messages rows, these follow: the upstream's
 * /v1/messages direct, RootAPI's relayed natively and translated (whose baseline is the direct chat
 * call just measured). One gateway process serves all of them; then the same requests through Next's
 * route handler (ROOTAPI_V1_VIA_NEXT=1).
 */
async function measureRequests(bench: Bench, upstream: UpstreamProc, placement: Placement): Promise<Expected> {
  const opts = bench.opts;
  const direct = bench.upstreamTarget();
  const floorProc = await startBareProxyProcess(placement.gateway, upstream.url);
  onCleanup("stop the bare proxy", () => floorProc.stop());
  const floor = bench.floorTarget(floorProc);
  let expected: Expected = { responses: 0, ok: 0 };

  const gw = await bench.startGateway("gateway");
  const withMessages = opts.messagesConnections.length > 0;
  const directMessages = bench.upstreamMessagesTarget();
  const native = bench.messagesTarget(gw.target, "messages");
  const translated = bench.messagesTarget(gw.target, "translated");
  const messageTargets = withMessages ? [directMessages, native, translated] : [];
  for (const target of [direct, floor, gw.target, ...messageTargets]) await bench.prewarm(target);
  const counts = [...new Set([...opts.connections, ...opts.messagesConnections])].sort((a, b) => a - b);
  for (const connections of counts) {
    const chat = opts.connections.includes(connections);
    const messages = opts.messagesConnections.includes(connections);
    await bench.point(direct, connections);
    if (chat) await bench.point(floor, connections);
    if (chat) await bench.point(gw.target, connections);
    if (messages) for (const target of messageTargets) await bench.point(target, connections);
  }
  for (const target of [direct, floor, gw.target, ...messageTargets]) await bench.ttfbPoint(target);
  expected = await bench.finishGateway(gw, expected);

  if (opts.next) {
    const next = await bench.startGateway("next");
    await bench.prewarm(next.target);
    for (const connections of opts.nextConnections) await bench.point(next.target, connections);
    await bench.ttfbPoint(next.target);
    expected = await bench.finishGateway(next, expected);
  }

  return expected;
}

/** The gateway is the production server: it needs `next build`'s output (waits for a build in progress). */
async function ensureBuild(): Promise<void> {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const lock = path.join(ROOT, ".next", "lock");
  if (existsSync(lock)) {
    progress("a `next build` is running: waiting for it to finish");
    const deadline = Date.now() + 10 * 60_000;
    while (existsSync(lock) && Date.now() < deadline) await sleep(2_000);
  }
  if (!existsSync(buildId)) {
    progress("no production build (.next/BUILD_ID): running `npm run build` first");
    const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (built.status !== 0 || !existsSync(buildId)) throw new Error("`npm run build` failed; the benchmark needs a production build");
    serverBuilt = true;
  }
  if (serverBuilt) return;
  // The compiled server (dist/server) is rebuilt once per run from the current sources (about a
  // second), so the benchmark never measures a stale bundle.
  const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  if (built.status !== 0) throw new Error("building the server (scripts/build-server.mjs) failed");
  serverBuilt = true;
}

let serverBuilt = false;

function placementNote(p: Placement): string {
  if (!p.pinned) return "not pinned (taskset missing or fewer than 2 cores): numbers are indicative only";
  return p.upstream === p.load
    ? `load generator + fake upstream on core ${p.load}, gateway alone on core ${p.gateway} (taskset). The fake upstream stands in for a remote ` +
        "provider, so it shares the load generator's core and the gateway gets a core to itself; direct and gateway runs put the same kind of load on core 0."
    : `load generator on core ${p.load}, fake upstream + gateway on core ${p.gateway} (taskset): the gateway's core also serves the upstream, so gateway throughput is understated.`;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  cleanUpOnExitSignals();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  await ensureBuild();

  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const pinned = hasTaskset() && cores >= 2;
  const placement: Placement = pinned
    ? { pinned, load: LOAD_CORE, upstream: opts.upstreamCore, gateway: GATEWAY_CORE }
    : { pinned, load: null, upstream: null, gateway: null };
  // This process only coordinates and samples, but keep it off the gateway's core too.
  if (pinned) pinProcess(LOAD_CORE);
  else progress("warning: cannot pin processes (taskset missing or fewer than 2 cores); running unpinned");

  // A shared machine: say so up front when something else is already using the CPU.
  const idleBefore = coreTimes();
  await sleep(1_000);
  const idleAfter = coreTimes();
  if (idleBefore.all && idleAfter.all) {
    const busy = idleAfter.all.busy - idleBefore.all.busy;
    const total = busy + idleAfter.all.idle - idleBefore.all.idle + idleAfter.all.iowait - idleBefore.all.iowait + idleAfter.all.steal - idleBefore.all.steal;
    const percentOfCore = total > 0 ? (busy / total) * 100 * cores : 0;
    if (percentOfCore > 15) progress(`warning: the machine is already busy (${Math.round(percentOfCore)}% of a core used by other processes): numbers will be noisy`);
  }

  const upstream = await startUpstreamProcess(placement.upstream);
  onCleanup("stop the fake upstream", () => upstream.stop());
  progress(`fake upstream up (pid ${upstream.pid})`);
  // The gateway inherits this environment: REDIS_URL only when asked for, never by accident.
  if (opts.redis) process.env.REDIS_URL ||= process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
  else delete process.env.REDIS_URL;
  const world = await createWorld(opts.postgres ? "postgresql" : "sqlite", upstream.url);
  progress(`database ready (${world.provider}): user, key, channel and price created`);
  const load = await LoadGenerator.start(placement.load);
  onCleanup("stop the load generator", () => load.stop());

  const bench = new Bench(opts, placement, load, upstream, world);
  let expected: Expected = { responses: 0, ok: 0 };
  let streams: StreamScenario | null = null;
  let profile: ProfileReport | null = null;
  if (opts.streams) {
    const profiler = opts.profile ? new Profiler(stamp) : null;
    const floor = await startBareProxyProcess(placement.gateway, upstream.url);
    onCleanup("stop the bare proxy", () => floor.stop());
    const gw = await bench.startGateway("gateway", profiler?.nodeOptions, profiler?.onLine);
    streams = await runStreamScenario({ opts, load, upstream, gateway: gw.target.gateway!, floor, world, progress });
    gw.target.totals.responses += streams.expected.responses;
    gw.target.totals.ok += streams.expected.ok;
    bench.problems.push(...streams.problems);
    expected = await bench.finishGateway(gw, expected);
    if (profiler) profile = profileOfStreams(profiler, gw.target.gateway!.pid, streams, bench);
  } else {
    expected = await measureRequests(bench, upstream, placement);
  }

  // Where the time goes: the direct-dispatch gateway under --cpu-prof at 16 connections.
  if (opts.profile && !opts.streams) ({ profile, expected } = await profileGateway(bench, stamp, expected, opts.profileRoute, opts.profileStream));

  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cores, cpuModel: os.cpus()[0]?.model ?? "unknown CPU", node: process.version, kernel: os.release(), memoryMb: Math.round(os.totalmem() / MB) },
    database: world.provider,
    redis: opts.redis,
    placement: { pinned, loadGeneratorCore: placement.load, upstreamCore: placement.upstream, gatewayCore: placement.gateway, note: placementNote(placement) },
    options: { ...opts },
    points: bench.points,
    ttfb: bench.ttfb,
    gatewayRuns: bench.runs,
    targets: streams ? evaluateStreamTargets(streams.points) : evaluateTargets(bench.points, bench.ttfb, bench.runs),
    profile,
    streams: streams ? { points: streams.points, openFilesLimit: streams.openFilesLimit } : null,
    valid: bench.problems.length === 0,
    problems: bench.problems,
  };
  const resultsDir = path.join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = path.join(resultsDir, `${stamp}.json`);
  writeFileSync(resultsFile, JSON.stringify(report, null, 2) + "\n");
  console.log(`${renderReport(report)}\n\nresults: ${path.relative(ROOT, resultsFile)}`);

  if (!report.valid) return 1;
  if (opts.strict && report.targets.some((t) => t.ok === false)) return 3;
  return 0;
}

main()
  .then(
    async (code) => {
      await cleanUp();
      process.exit(code);
    },
    async (error: unknown) => {
      if (isExiting()) return; // interrupted: the signal handler cleans up and exits
      console.error(`bench failed: ${redact(error instanceof Error ? error.message : String(error))}`);
      if (error instanceof Error && /must be|Unknown option|unexpected argument/i.test(error.message)) console.error(USAGE);
      await cleanUp();
      process.exit(1);
    },
  );
