/** Messages between the orchestrator (run.ts) and the load generator process (load.ts). */

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Keep-alive HTTP load at a fixed number of connections for a fixed time (autocannon). */
export interface HttpJob {
  kind: "http";
  id: number;
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
}

/** Sequential streamed requests on one keep-alive connection, timing the first `data:` byte. */
export interface TtfbJob {
  kind: "ttfb";
  id: number;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** What a complete stream ends with: `data: [DONE]` (Chat Completions), `event: message_stop` (Messages). */
  endMarker: string;
  /** Stop after this many requests… */
  requests?: number;
  /** …or after this long, whichever comes first. */
  durationMs?: number;
}

/**
 * The stream-concurrency scenario: `streams` long paced streams opened at `openPerSecond`, held
 * until they end; every content chunk's delay (upstream send time → received here) is sampled while
 * all of them are open (the steady window, announced with "steady" and "end" marks), and so is the
 * time to first byte of `probes` fresh short streams sent one after another during that window.
 */
export interface StreamsJob {
  kind: "streams";
  id: number;
  url: string;
  /** A paced stream's body (`bench_pace`, see fake-upstream.ts). */
  body: string;
  /** A short stream's body, for the fresh-request probes. */
  probeBody: string;
  headers: Record<string, string>;
  endMarker: string;
  streams: number;
  openPerSecond: number;
  probes: number;
  /** Streams still open this long after the job started count as errors. */
  deadlineMs: number;
}

export type Job = HttpJob | TtfbJob | StreamsJob;

interface Counts {
  /** Responses received (any status). */
  responses: number;
  /** 2xx responses. */
  ok: number;
  /** Responses by status code. */
  statusCounts: Record<string, number>;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  elapsedMs: number;
}

export interface HttpResult extends Counts {
  kind: "http";
  id: number;
  connections: number;
  requestsPerSecond: number;
  /** Response times of 2xx responses. */
  latency: LatencySummary;
}

export interface TtfbResult extends Counts {
  kind: "ttfb";
  id: number;
  requestsPerSecond: number;
  /** Request sent → first `data:` byte of the body. */
  ttfb: LatencySummary;
  /** Request sent → end of the stream. */
  total: LatencySummary;
  /** 2xx streams that ended without their end marker (`data: [DONE]`, `event: message_stop`). */
  incomplete: number;
}

export interface StreamsResult extends Counts {
  kind: "streams";
  id: number;
  /** Paced streams that got a 2xx but did not end with the end marker. */
  incomplete: number;
  /** Content chunks received during the steady window, and how long it lasted. */
  windowChunks: number;
  windowMs: number;
  /** Upstream send time → received here, per content chunk in the steady window. */
  chunkDelay: LatencySummary;
  /** Fresh short streams during the window: request sent → first `data:` byte. */
  probeTtfb: LatencySummary;
  /** Probe responses (any status) and 2xx ones: the gateway logs and bills them too. */
  probeResponses: number;
  probeOk: number;
  /** Probes that failed: an error, a non-2xx or an incomplete stream. */
  probeFailures: number;
}

export type JobResult = HttpResult | TtfbResult | StreamsResult;

/** "steady": every stream is open (the measured window starts); "end": the first stream ended. */
export type StreamsMark = "steady" | "end";

export type LoadMessage =
  | { type: "ready" }
  | { type: "result"; result: JobResult }
  | { type: "error"; id: number; message: string }
  | { type: "mark"; id: number; mark: StreamsMark };
