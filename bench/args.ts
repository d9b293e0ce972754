/** Command-line flags of `npm run bench -- …`. */
import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Measured seconds per point. */
  duration: number;
  /** Unmeasured seconds at a point's connection count before it is measured. */
  warmup: number;
  /** Seconds of load on a freshly started target before its first point. */
  prewarm: number;
  connections: number[];
  nextConnections: number[];
  /** Connection counts of the /v1/messages rows (native and translated); [] with --no-messages. */
  messagesConnections: number[];
  ttfbRequests: number;
  postgres: boolean;
  /** Rate limits through Redis (REDIS_URL), as several instances run them. */
  redis: boolean;
  next: boolean;
  profile: boolean;
  /** What the profiled gateway is loaded with: chat completions, native or translated /v1/messages. */
  profileRoute: ProfileRoute;
  /** Profile sequential streams (like a TTFB row) instead of 16 connections of whole answers. */
  profileStream: boolean;
  upstreamCore: 0 | 1;
  strict: boolean;
  quick: boolean;
  /** Run the stream-concurrency scenario (streams.ts) instead of the request points. */
  streams: boolean;
  streamCounts: number[];
  /** Milliseconds between two chunks of a paced stream, one run per value. */
  streamIntervals: number[];
  /** How long each paced stream lasts. */
  streamSeconds: number;
  /** Streams opened per second while a point ramps up. */
  streamOpenRate: number;
  /** Fresh short streams timed (one after another) while the paced ones are held. */
  streamProbes: number;
}

export type ProfileRoute = "chat" | "messages" | "translated";
const PROFILE_ROUTES: ProfileRoute[] = ["chat", "messages", "translated"];

export const USAGE = `Usage: npm run bench -- [options]

  --quick                 smoke run: ~1 s per point, 100 stream requests (about 45 s in all)
  --duration <s>          measured seconds per point (default 8)
  --warmup <s>            unmeasured seconds before each point (default 1)
  --prewarm <s>           load on each freshly started target before measuring (default 3)
  --connections <list>    connection counts, e.g. 1,16,64 (default)
  --next-connections <l>  connection counts for the Next.js route-handler path (default 1,16)
  --no-next               skip the Next.js route-handler path
  --messages-connections <l>  connection counts for the /v1/messages rows, native and translated (default 1,16)
  --no-messages           skip the /v1/messages rows
  --ttfb-requests <n>     sequential stream requests per TTFB measurement (default 1000)
  --postgres              PostgreSQL (a temp database on TEST_DATABASE_URL's server) instead of SQLite
  --redis                 per-key rate limits through Redis (REDIS_URL, else TEST_REDIS_URL's server), as with several instances
  --profile               also CPU-profile the gateway at 16 connections and print where the time goes
                          (with --streams: over the steady window of the last point)
  --profile-route <r>     what the profiled gateway serves: chat (default), messages (native) or translated
  --profile-stream        profile sequential streams (as a TTFB row) instead of 16 connections
  --upstream-core <0|1>   core of the fake upstream: 0 = with the load generator (default), 1 = with the gateway
  --streams               the stream-concurrency scenario instead: many long paced streams held at once (~30 minutes)
  --stream-counts <list>  concurrent streams per point (default 500,1000,2000,5000,10000)
  --stream-intervals <l>  ms between two chunks, one run each (default 100,1000)
  --stream-seconds <s>    how long each stream lasts (default 20)
  --stream-open-rate <n>  streams opened per second while a point ramps up (default 2000)
  --stream-probes <n>     fresh requests timed to their first byte while the streams are held (default 100)
  --strict                exit 3 when a target is missed
  -h, --help`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      prewarm: { type: "string" },
      connections: { type: "string" },
      "next-connections": { type: "string" },
      "no-next": { type: "boolean", default: false },
      "messages-connections": { type: "string" },
      "no-messages": { type: "boolean", default: false },
      "profile-route": { type: "string" },
      "profile-stream": { type: "boolean", default: false },
      "ttfb-requests": { type: "string" },
      postgres: { type: "boolean", default: false },
      redis: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      "upstream-core": { type: "string" },
      strict: { type: "boolean", default: false },
      streams: { type: "boolean", default: false },
      "stream-counts": { type: "string" },
      "stream-intervals": { type: "string" },
      "stream-seconds": { type: "string" },
      "stream-open-rate": { type: "string" },
      "stream-probes": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick === true;
  const seconds = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${raw}"`);
    return value;
  };
  const list = (name: string, raw: string | undefined, fallback: number[], max = 1024) => {
    if (raw === undefined) return fallback;
    const out = raw.split(",").map((s) => Number(s.trim()));
    if (!out.length || out.some((n) => !Number.isInteger(n) || n < 1 || n > max)) throw new Error(`--${name} must be a list of whole numbers 1-${max}, got "${raw}"`);
    return out;
  };
  const route = values["profile-route"] ?? "chat";
  if (!PROFILE_ROUTES.includes(route as ProfileRoute)) throw new Error(`--profile-route must be one of ${PROFILE_ROUTES.join(", ")}, got "${route}"`);
  const core = values["upstream-core"] ?? "0";
  if (core !== "0" && core !== "1") throw new Error(`--upstream-core must be 0 or 1, got "${core}"`);
  return {
    quick,
    duration: seconds("duration", values.duration, quick ? 1 : 8, 0.2),
    warmup: seconds("warmup", values.warmup, quick ? 0.3 : 1, 0),
    prewarm: seconds("prewarm", values.prewarm, quick ? 1 : 3, 0),
    connections: list("connections", values.connections, [1, 16, 64]),
    nextConnections: list("next-connections", values["next-connections"], [1, 16]),
    messagesConnections: values["no-messages"] ? [] : list("messages-connections", values["messages-connections"], [1, 16]),
    ttfbRequests: Math.round(seconds("ttfb-requests", values["ttfb-requests"], quick ? 100 : 1000, 1)),
    postgres: values.postgres === true,
    redis: values.redis === true,
    next: values["no-next"] !== true,
    profile: values.profile === true,
    profileRoute: route as ProfileRoute,
    profileStream: values["profile-stream"] === true,
    upstreamCore: core === "1" ? 1 : 0,
    strict: values.strict === true,
    streams: values.streams === true,
    streamCounts: list("stream-counts", values["stream-counts"], quick ? [100, 500] : [500, 1000, 2000, 5000, 10000], 100_000),
    streamIntervals: list("stream-intervals", values["stream-intervals"], [100, 1000], 60_000),
    streamSeconds: seconds("stream-seconds", values["stream-seconds"], quick ? 5 : 20, 1),
    streamOpenRate: Math.round(seconds("stream-open-rate", values["stream-open-rate"], 2000, 1)),
    streamProbes: Math.round(seconds("stream-probes", values["stream-probes"], quick ? 20 : 100, 0)),
  };
}
