/**
 * The load generator's streaming jobs: one stream timed to its first byte (the TTFB rows and the
 * probes), and the stream-concurrency job — thousands of long paced streams held open at once.
 */
import http from "node:http";
import type { StreamsJob, StreamsMark, StreamsResult } from "./protocol";
import { Samples } from "./stats";

interface StreamRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** What a complete stream ends with: `data: [DONE]` (Chat Completions), `event: message_stop` (Messages). */
  endMarker: string;
}

export interface StreamOutcome {
  status: number;
  ttfb: number;
  total: number;
  complete: boolean;
}

export function streamOnce(job: StreamRequest, agent: http.Agent): Promise<StreamOutcome> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(job.body);
    // Enough of the end to find the marker in (`event: message_stop` is followed by its data line).
    const tailLength = job.endMarker.length + 64;
    const req = http.request(job.url, { method: "POST", agent, headers: { ...job.headers, "content-length": String(body.length) } }, (res) => {
      let ttfb = -1;
      let tail = "";
      res.on("data", (chunk: Buffer) => {
        if (ttfb < 0 && chunk.includes("data:")) ttfb = performance.now() - sent;
        tail = (tail + chunk.toString("latin1")).slice(-tailLength);
      });
      res.once("end", () => resolve({ status: res.statusCode ?? 0, ttfb, total: performance.now() - sent, complete: tail.includes(job.endMarker) }));
      res.once("error", reject);
    });
    req.once("error", reject);
    // Headers and body leave together on end(); the clock starts just before.
    const sent = performance.now();
    req.end(body);
  });
}

/** A paced chunk's content is its upstream send time (fake-upstream.ts); the opening chunk's is empty. */
const CONTENT = '"content":"';
const wallClock = () => performance.timeOrigin + performance.now();

/**
 * Opens `job.streams` paced streams at `job.openPerSecond`, each on its own connection. Once all are
 * open the steady window starts (mark "steady"): each content chunk's delay is sampled and fresh
 * short streams probe the time to first byte, one after another, until the first paced stream ends
 * (mark "end"). Resolves when every stream has ended, or at the job's deadline.
 */
export function runStreams(job: StreamsJob, mark: (m: StreamsMark) => void): Promise<StreamsResult> {
  return new Promise((resolve) => {
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = Buffer.from(job.body);
    const headers = { ...job.headers, "content-length": String(body.length) };
    const delays = new Samples();
    const probeTtfb = new Samples();
    const statusCounts: Record<string, number> = {};
    const started = performance.now();
    let responses = 0;
    let ok = 0;
    let errors = 0;
    let incomplete = 0;
    let answered = 0;
    let settled = 0;
    let steady = false;
    let windowStart = 0;
    let windowMs = 0;
    let windowChunks = 0;
    let probeResponses = 0;
    let probeOk = 0;
    let probeFailures = 0;
    let probing: Promise<void> = Promise.resolve();

    const beginWindow = () => {
      steady = true;
      windowStart = performance.now();
      mark("steady");
      probing = probe();
    };
    const endWindow = () => {
      if (!steady) return;
      steady = false;
      windowMs = performance.now() - windowStart;
      mark("end");
    };
    const probe = async () => {
      for (let i = 0; i < job.probes && steady; i++) {
        try {
          const outcome = await streamOnce({ url: job.url, body: job.probeBody, headers: job.headers, endMarker: job.endMarker }, probeAgent);
          probeResponses++;
          const good = outcome.status >= 200 && outcome.status < 300;
          if (good) probeOk++;
          if (good && outcome.complete) probeTtfb.push(outcome.ttfb);
          else probeFailures++;
        } catch {
          probeFailures++;
        }
      }
    };
    const finish = () => {
      clearTimeout(deadline);
      clearInterval(ramp);
      endWindow();
      void probing.then(() => {
        agent.destroy();
        probeAgent.destroy();
        resolve({
          kind: "streams",
          id: job.id,
          responses,
          ok,
          statusCounts,
          errors: errors + (job.streams - settled),
          incomplete,
          elapsedMs: performance.now() - started,
          windowChunks,
          windowMs,
          chunkDelay: delays.summary(),
          probeTtfb: probeTtfb.summary(),
          probeResponses,
          probeOk,
          probeFailures,
        });
      });
    };
    const settle = () => {
      if (++settled === job.streams) finish();
    };
    const opened = () => {
      if (++answered === job.streams) beginWindow();
    };

    const startOne = () => {
      let responded = false;
      const req = http.request(job.url, { method: "POST", agent, headers }, (res) => {
        responded = true;
        responses++;
        const status = res.statusCode ?? 0;
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        if (status >= 200 && status < 300) ok++;
        opened();
        let carry = "";
        let tail = "";
        res.on("data", (chunk: Buffer) => {
          const received = wallClock();
          const text = carry + chunk.toString("latin1");
          let at = 0;
          for (;;) {
            const i = text.indexOf(CONTENT, at);
            if (i < 0) {
              carry = text.slice(Math.max(at, text.length - CONTENT.length));
              break;
            }
            const j = text.indexOf('"', i + CONTENT.length);
            if (j < 0) {
              carry = text.slice(i);
              break;
            }
            const sentAt = Number(text.slice(i + CONTENT.length, j));
            if (sentAt > 0 && steady) {
              delays.push(received - sentAt);
              windowChunks++;
            }
            at = j + 1;
          }
          tail = (tail + text).slice(-(job.endMarker.length + 64));
        });
        // A connection cut mid-stream: counted as incomplete when it closes.
        res.on("error", () => {});
        res.once("close", () => {
          if (status >= 200 && status < 300 && !tail.includes(job.endMarker)) incomplete++;
          endWindow();
          settle();
        });
      });
      req.once("error", () => {
        if (responded) return; // the response's close settles it
        errors++;
        opened();
        settle();
      });
      req.end(body);
    };

    let launched = 0;
    const perTick = Math.max(1, Math.round(job.openPerSecond / 100));
    const ramp = setInterval(() => {
      for (let k = 0; k < perTick && launched < job.streams; k++, launched++) startOne();
      if (launched >= job.streams) clearInterval(ramp);
    }, 10);
    // Streams that never end are counted as errors rather than hanging the run.
    const deadline = setTimeout(finish, job.deadlineMs);
  });
}
