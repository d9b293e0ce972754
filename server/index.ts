/**
 * Production (and dev) entry point: prepares the database and secrets, answers /v1 directly
 * (before Next's router, which costs more per request than the whole gateway), and hands
 * everything else to the Next.js app.
 *
 *   npm start            # after npm run build
 *   npm run dev          # hot reload
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { exportSecretsToEnv } from "../lib/config/secrets";
import { dataDir, databaseProvider, pinDatabaseUrl } from "../lib/db/url";
import { CLIENT_IP_HEADER, clientAddressFrom, trustedProxyHops } from "../lib/auth/client-ip";
import { closeDb } from "../lib/db/client";
import { handleWithNode } from "../lib/gateway/http/node-adapter";
import { routeV1 } from "../lib/gateway/http/router";
import { getGateway } from "../lib/gateway/context";
import { journalUnsettled, replayJournals } from "../lib/gateway/funds/settlement-journal";
import { startChannelRetests } from "../lib/gateway/routing/channel-test";
import { closeHotStore, getHotStore } from "../lib/gateway/store";
import { refusalBeforeNext } from "../lib/http/request-guards";
import { markCuttingConnections } from "../lib/gateway/http/shutdown";
import { loopbackHost, setSelfUrl } from "../lib/http/self-url";
import { gatewayMetricsEndpoint } from "../lib/observability/gateway-metrics";
import { createReadinessProbe } from "../lib/observability/health";
import { answerHealth, isHealthRequest } from "../lib/observability/health-http";
import { logger } from "../lib/observability/log";
import { logRetentionDays, startLogRetention } from "../lib/observability/retention";
import { startTracing, stopTracing } from "../lib/observability/start-tracing";

const LISTEN_BACKLOG = 4_096;
const log = logger("server");

const dev = process.argv.includes("--dev");
const port = process.env.PORT ? Number(process.env.PORT) : 3000;
// HOST, not HOSTNAME: many shells and container runtimes set HOSTNAME to the machine's name.
const host = process.env.HOST || "0.0.0.0";
// TRUST_PROXY=<hops>: the client address is read that many entries from the right of X-Forwarded-For.
const proxyHops = trustedProxyHops(process.env);
// For comparison and for hosts that must go through Next: ROOTAPI_V1_VIA_NEXT=1.
const v1ViaNext = process.env.ROOTAPI_V1_VIA_NEXT === "1";
// How long in-flight requests (long streams) may finish after SIGTERM; orchestrators commonly wait
// 30 s before SIGKILL, so the default uses that, and deployments give longer streams more.
const SHUTDOWN_GRACE_MS = secondsFromEnv("ROOTAPI_SHUTDOWN_GRACE_SECONDS", 30) * 1000;
// How long a stop keeps trying to write settlements to a database that does not answer before it
// journals them to the data dir (written by the next start) and exits.
const SETTLEMENT_DRAIN_MS = secondsFromEnv("ROOTAPI_SETTLEMENT_DRAIN_SECONDS", 10) * 1000;

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const seconds = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`${name} must be a number of seconds ≥ 0, got "${raw}"`);
  return seconds;
}

type NextHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/**
 * Migrates and seeds the database in a child process (server/prepare-database.ts, or its compiled
 * twin next to this file), so Prisma's engines never load into this one (see that file). The child
 * runs like this process (same loader flags, so it works under tsx too), minus profiling and
 * inspector flags; it prints what it did, or why it failed.
 */
function prepareDatabaseInChild(): Promise<void> {
  const script = path.join(__dirname, `prepare-database${path.extname(__filename)}`);
  const execArgv: string[] = [];
  const dropped = /^--(inspect|cpu-prof|heap-prof|prof|trace-gc|diagnostic-dir)/;
  const takesValue = /^--(cpu-prof-dir|cpu-prof-name|cpu-prof-interval|heap-prof-dir|heap-prof-name|heap-prof-interval|diagnostic-dir|inspect-port)$/;
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i]!;
    if (!dropped.test(arg)) execArgv.push(arg);
    else if (takesValue.test(arg)) i++;
  }
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`Preparing the database failed (${signal ?? `exit code ${code}`}).`));
    });
  });
}

/**
 * Next.js, prepared on first use: an instance that only serves /v1 never loads Next's server and
 * app bundles (tens of MB). The first portal request waits for it (about a second).
 */
function lazyNext(dev: boolean, host: string, port: number): () => Promise<NextHandler> {
  let handler: Promise<NextHandler> | undefined;
  return () => {
    if (!handler) {
      const starting = (handler = (async () => {
        const next = (await import("next")).default;
        const app = next({ dev, dir: process.cwd(), hostname: host, port });
        await app.prepare();
        return app.getRequestHandler();
      })());
      // A failed start is not kept: the next portal request tries again.
      starting.catch(() => {
        if (handler === starting) handler = undefined;
      });
    }
    return handler;
  };
}

function clientAddress(req: http.IncomingMessage): string {
  return clientAddressFrom(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxyHops);
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  // The database child has no --dev flag: it renders its lines like this process does.
  if (dev) process.env.LOG_FORMAT ||= "pretty";
  exportSecretsToEnv();
  const url = pinDatabaseUrl();
  await prepareDatabaseInChild();

  await startTracing();
  const gateway = getGateway();
  // What an earlier run could not settle before it stopped, before this one answers anything.
  await replayJournals(dataDir(), (items) => gateway.settlements.settleJournaled(items));
  const stopRetests = startChannelRetests(getHotStore, gateway.config.channelRetestMs);
  const metrics = gatewayMetricsEndpoint(gateway);
  const stopRetention = startLogRetention(getHotStore, logRetentionDays());
  const readiness = createReadinessProbe(url, gateway.limiter);
  const nextHandler = lazyNext(dev, host, port);
  if (dev || v1ViaNext) {
    // Development compiles on demand anyway, and with ROOTAPI_V1_VIA_NEXT every request needs Next:
    // prepare it now.
    await nextHandler();
  } else {
    // Fail at start, not at the first portal request, when there is no production build.
    const distDir = process.env.ROOTAPI_NEXT_DIST_DIR || ".next";
    if (!existsSync(path.join(process.cwd(), distDir, "BUILD_ID"))) {
      throw new Error(`Could not find a production build in the '${distDir}' directory. Try building your app with 'npm run build' before starting the production server.`);
    }
  }

  // /v1 requests still being answered: shutdown waits for them so their settlement is queued.
  // A counter, not a set of promises: two fewer promises per request on the hot path.
  let inFlight = 0;
  let allAnswered: (() => void) | null = null;
  const answered = () => {
    if (--inFlight === 0 && allAnswered) allAnswered();
  };
  let stopping = false;
  const server = http.createServer((req, res) => {
    if (stopping) {
      // Balancers still polling on a kept-alive connection learn the instance is draining.
      if (isHealthRequest(req.url)) return void answerHealth(req, res, readiness);
      // A new request on a connection kept alive from before SIGTERM: send it elsewhere.
      res.writeHead(503, { "content-type": "application/json", connection: "close", "retry-after": "1" });
      res.end(JSON.stringify({ error: { message: "The server is shutting down; retry the request.", type: "server_error", param: null, code: "server_shutdown" } }));
      return;
    }
    const fail = (error: unknown) => {
      log.error({ event: "request.failed", method: req.method, path: req.url?.split("?")[0], err: error }, "Request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal Server Error");
    };
    if (!v1ViaNext && req.url?.startsWith("/v1/")) {
      // Answers are JSON or SSE: no browser may sniff them into something else.
      res.setHeader("x-content-type-options", "nosniff");
      inFlight++;
      handleWithNode(req, res, routeV1).then(answered, (error: unknown) => {
        try {
          fail(error);
        } finally {
          answered();
        }
      });
      return;
    }
    // Answered here, never by Next: probes and scrapes must not load or wait for the portal.
    if (isHealthRequest(req.url)) {
      answerHealth(req, res, readiness).catch(fail);
      return;
    }
    if (metrics.handle(req, res)) return;
    const refusal = refusalBeforeNext(req);
    if (refusal) {
      res.writeHead(refusal.status, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ error: { message: refusal.message, code: refusal.code, field: null } }));
      return;
    }
    req.headers[CLIENT_IP_HEADER] = clientAddress(req);
    nextHandler()
      .then((handle) => handle(req, res))
      .catch(fail);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Node's default queue of 511 unaccepted connections overflows when thousands of streams open
    // at once while the event loop is busy: the kernel drops their SYNs and clients wait a second
    // or more to retry. The kernel still caps it at net.core.somaxconn.
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, resolve);
  });
  // PORT=0 picks a free port (tests); report the one actually bound.
  const bound = (server.address() as AddressInfo).port;
  setSelfUrl(`http://${loopbackHost(host)}:${bound}`);
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const metricsUrl = await metrics.listen();
  if (metricsUrl) log.info({ event: "server.metrics", url: metricsUrl }, `Metrics on ${metricsUrl}`);
  const mode = dev ? "development" : "production";
  log.info({ event: "server.started", port: bound, mode, database: databaseProvider(url) }, `RootAPI ready on http://${shown}:${bound} (${mode}, ${databaseProvider(url)})`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: "server.stopping", signal, graceSeconds: SHUTDOWN_GRACE_MS / 1000, inFlight }, `${signal}: no new connections; finishing in-flight requests`);
    readiness.markShuttingDown();
    stopRetests();
    stopRetention();
    void metrics.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Streams still running after the grace period are cut; their metering still runs and is settled below.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([closed, grace]);
    // What still runs is cut by the server, not by its clients: logged as server_shutdown.
    markCuttingConnections();
    server.closeAllConnections();
    // Cut streams end quickly (their upstream is aborted); each then meters and queues its settlement.
    const allDone = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (allAnswered = resolve));
    await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    const unsettled = await gateway.settlements.drainWithin(SETTLEMENT_DRAIN_MS);
    if (unsettled.length) journalUnsettled(dataDir(), unsettled);
    const cleanup = (async () => {
      // Everything is settled (or journaled): what this instance still has leased goes back.
      await gateway.leases.releaseAll().catch((error: unknown) => log.error({ event: "leases.release_failed", err: error }, "Giving back funds leases failed"));
      await stopTracing();
      await gateway.limiter.close?.().catch(() => undefined);
      await closeHotStore().catch(() => undefined);
      await closeDb().catch(() => undefined);
    })();
    // A database that hangs must not keep the process alive: nothing is lost past this point (a
    // lease not given back returns after its TTL), and the orchestrator would kill it anyway.
    const cleaned = await Promise.race([cleanup.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, 5_000, false))]);
    log.info({ event: "server.stopped", signal, cleanedUp: cleaned }, "Stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  log.fatal({ event: "server.start_failed", err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
