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

export type Job = HttpJob | TtfbJob;

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

export type JobResult = HttpResult | TtfbResult;

export type LoadMessage = { type: "ready" } | { type: "result"; result: JobResult } | { type: "error"; id: number; message: string };
