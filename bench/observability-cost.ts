/**
 * What observability costs a /v1 request, measured in-process:
 *   - the per-request log line (logRequest of a settled record), with the default asynchronous
 *     JSON destination, and with LOG_LEVEL above info (skipped);
 *   - the tracing calls the pipeline makes when tracing is off (no tracer installed) compared with
 *     not making them, and when it is on (spans created, exported in batches to a collector that
 *     refuses connections).
 *
 *   npx tsx bench/observability-cost.ts > /dev/null        # results go to stderr
 *
 * Each measurement runs in its own process (the script re-runs itself), so one's garbage does not
 * bill the next. The loops yield to the event loop every 100 iterations, as a server does between
 * requests, so the asynchronous log destination gets to write.
 */
import { execFileSync } from "node:child_process";
import type { RequestRecord } from "../lib/gateway/funds/settlement";
import type { GatewayRequest } from "../lib/gateway/http/types";
import { logRequest } from "../lib/observability/request-log";
import { startRequestSpan, traceAttempt, upstreamTraceHeaders } from "../lib/observability/tracing";
import { logger } from "../lib/observability/log";

const N = Number(process.env.N ?? 200_000);

const record: RequestRecord = {
  id: "req_0123456789abcdefghij",
  userId: "cm0user0000000000000000",
  apiKeyId: "cm0key00000000000000000",
  channelId: "cm0channel0000000000000",
  model: "gpt-4o-mini",
  upstreamModel: "gpt-4o-mini-2024-07-18",
  endpoint: "/v1/chat/completions",
  stream: false,
  status: 200,
  promptTokens: 1200,
  completionTokens: 300,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
  cost: 360n,
  estimated: false,
  latencyMs: 812,
  ttfbMs: 640,
  attempts: 1,
  errorCode: null,
  errorMessage: null,
  createdAt: new Date(),
};

const req: GatewayRequest = { method: "POST", path: "/v1/chat/completions", query: new URLSearchParams(), header: () => null, readBody: async () => new Uint8Array(), signal: new AbortController().signal };
const channel = { id: "c", name: "main", type: "openai", baseUrl: "http://127.0.0.1:9/v1" };
const answer = { status: 200 };
const send = () => Promise.resolve(answer);

const breath = () => new Promise((resolve) => setImmediate(resolve));

async function loop(count: number, run: () => unknown): Promise<void> {
  for (let i = 0; i < count; i++) {
    await run();
    if (i % 100 === 99) await breath();
  }
}

/** Wall-clock and CPU (user + system, all threads) nanoseconds per iteration. */
async function time(run: () => unknown): Promise<{ wall: number; cpu: number }> {
  await loop(Math.min(N, 20_000), run); // warm-up
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await loop(N, run);
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / N, cpu: ((used.user + used.system) * 1000) / N };
}

/** The pipeline's tracing calls for one request with one attempt, as run.ts and settle.ts make them. */
async function tracedRequest(): Promise<void> {
  const span = startRequestSpan("/v1/chat/completions", req);
  await traceAttempt(span, channel, "gpt-4o-mini", () => (upstreamTraceHeaders(), send()));
  if (span) span.end(record);
}

/** The same request without them. */
async function plainRequest(): Promise<void> {
  await send();
}

const measurements: Record<string, [label: string, run: () => Promise<{ wall: number; cpu: number }>]> = {
  log: ["log line per request (info, async JSON destination)", () => time(() => logRequest(record))],
  "log-skipped": [
    "log line per request with LOG_LEVEL=warn (skipped)",
    () => {
      logger("gateway").level = "warn";
      return time(() => logRequest(record));
    },
  ],
  plain: ["request without tracing calls (baseline)", () => time(plainRequest)],
  off: ["request with tracing calls, tracing off", () => time(tracedRequest)],
  on: [
    "request with tracing calls, tracing on (2 spans, batch export)",
    async () => {
      const { startTracing } = await import("../lib/observability/start-tracing");
      // Nothing listens there: exports fail (and are logged) without slowing the requests.
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:9";
      await startTracing();
      return time(tracedRequest);
    },
  ],
};

const which = process.argv[2];
if (which) {
  void measurements[which]![1]().then(({ wall, cpu }) => {
    process.stderr.write(`${measurements[which]![0].padEnd(64)} cpu ${cpu.toFixed(0).padStart(6)} ns   wall ${wall.toFixed(0).padStart(6)} ns\n`);
    process.exit(0);
  });
} else {
  for (const name of Object.keys(measurements)) execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, name], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
}
