/**
 * The load generator process. The orchestrator starts it pinned to one core
 * (`taskset -c 0 node --import tsx bench/load.ts`) and sends it jobs over IPC, one at a time:
 *
 * - "http": autocannon at N keep-alive connections for a fixed time. Latencies are taken from
 *   every response (autocannon's own histogram keeps whole milliseconds only), and the run stops
 *   gracefully: at the deadline each connection finishes the request it has in flight and sends
 *   no other, so every request the server saw got its answer here — which is what lets the
 *   orchestrator check the gateway's RequestLog and ledger counts exactly.
 * - "ttfb": sequential streamed requests on one keep-alive connection, timing the first `data:` byte
 *   (Chat Completions chunks and Anthropic's events alike); a stream counts as complete when it
 *   ends with the job's end marker.
 * - "streams": thousands of long paced streams held at once (stream-load.ts).
 */
import http from "node:http";
import autocannon from "autocannon";
import type { HttpJob, HttpResult, Job, JobResult, LoadMessage, TtfbJob, TtfbResult } from "./protocol";
import { Samples } from "./stats";
import { runStreams, streamOnce } from "./stream-load";

function send(message: LoadMessage): void {
  process.send?.(message);
}

function runHttp(job: HttpJob): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const clients: autocannon.Client[] = [];
    const latencies = new Samples();
    const statusCounts: Record<string, number> = {};
    let responses = 0;
    let ok = 0;
    let errors = 0;
    const started = performance.now();
    let last = started;

    const instance = autocannon(
      {
        url: job.url,
        method: "POST",
        body: job.body,
        headers: job.headers,
        connections: job.connections,
        pipelining: 1,
        // The graceful stop below ends the run; this is only a safety net.
        duration: job.durationMs / 1000 + 120,
        timeout: 30,
        sampleInt: 50,
        setupClient: (client) => clients.push(client),
      },
      (error) => {
        clearTimeout(deadline);
        if (error) return reject(error);
        const elapsedMs = last - started;
        resolve({
          kind: "http",
          id: job.id,
          connections: job.connections,
          responses,
          ok,
          statusCounts,
          errors,
          elapsedMs,
          requestsPerSecond: elapsedMs > 0 ? (responses / elapsedMs) * 1000 : 0,
          latency: latencies.summary(),
        });
      },
    );
    instance.on("response", (_client: autocannon.Client, statusCode: number, _bytes: number, responseTime: number) => {
      responses++;
      last = performance.now();
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
        latencies.push(responseTime);
      }
    });
    instance.on("reqError", () => errors++);

    // Graceful stop: a client whose request count reaches responseMax destroys itself right after
    // its next response instead of sending another request.
    const deadline = setTimeout(() => {
      for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
      // A connection with nothing in flight (reconnecting after an error) would never stop by itself.
      setTimeout(() => instance.stop(), 10_000).unref();
    }, job.durationMs);
  });
}

async function runTtfb(job: TtfbJob): Promise<TtfbResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ttfb = new Samples();
  const total = new Samples();
  const statusCounts: Record<string, number> = {};
  let responses = 0;
  let ok = 0;
  let errors = 0;
  let incomplete = 0;
  const started = performance.now();
  const limit = job.requests ?? Number.POSITIVE_INFINITY;
  const until = job.durationMs === undefined ? Number.POSITIVE_INFINITY : started + job.durationMs;
  try {
    while (responses + errors < limit && performance.now() < until) {
      try {
        const outcome = await streamOnce(job, agent);
        responses++;
        statusCounts[outcome.status] = (statusCounts[outcome.status] ?? 0) + 1;
        if (outcome.status >= 200 && outcome.status < 300) {
          ok++;
          if (!outcome.complete || outcome.ttfb < 0) incomplete++;
          else {
            ttfb.push(outcome.ttfb);
            total.push(outcome.total);
          }
        }
      } catch {
        errors++;
        if (errors > 100) throw new Error(`stream requests to ${job.url} keep failing`);
      }
    }
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - started;
  return {
    kind: "ttfb",
    id: job.id,
    responses,
    ok,
    statusCounts,
    errors,
    incomplete,
    elapsedMs,
    requestsPerSecond: elapsedMs > 0 ? (responses / elapsedMs) * 1000 : 0,
    ttfb: ttfb.summary(),
    total: total.summary(),
  };
}

function run(job: Job): Promise<JobResult> {
  if (job.kind === "streams") return runStreams(job, (mark) => send({ type: "mark", id: job.id, mark }));
  return job.kind === "http" ? runHttp(job) : runTtfb(job);
}

// One job at a time, in the order received.
let queue: Promise<void> = Promise.resolve();
process.on("message", (job: Job) => {
  queue = queue.then(
    () => run(job).then(
      (result) => send({ type: "result", result }),
      (error: unknown) => send({ type: "error", id: job.id, message: error instanceof Error ? error.message : String(error) }),
    ),
  );
});
// The orchestrator went away (finished, crashed, Ctrl-C): so do we.
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
