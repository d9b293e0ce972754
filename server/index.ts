/**
 * Production (and dev) entry point: prepares the database and secrets, answers /v1 directly
 * (before Next's router, which costs more per request than the whole gateway), and hands
 * everything else to the Next.js app.
 *
 *   npm start            # after npm run build
 *   npm run dev          # hot reload
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { exportSecretsToEnv } from "../lib/config/secrets";
import { migrate } from "../lib/db/migrate";
import { databaseProvider, databaseUrl } from "../lib/db/url";
import { CLIENT_IP_HEADER } from "../lib/auth/client-ip";
import { closeDb, getDb } from "../lib/db/client";
import { handleWithNode } from "../lib/gateway/adapters/node";
import { routeV1 } from "../lib/gateway/router";
import { getGateway } from "../lib/gateway/context";
import { seedSandbox } from "../lib/gateway/seed";
import { startChannelRetests } from "../lib/gateway/channel-test";
import { closeHotStore } from "../lib/gateway/store";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ? Number(process.env.PORT) : 3000;
// HOST, not HOSTNAME: many shells and container runtimes set HOSTNAME to the machine's name.
const host = process.env.HOST || "0.0.0.0";
const trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";
// For comparison and for hosts that must go through Next: ROOTAPI_V1_VIA_NEXT=1.
const v1ViaNext = process.env.ROOTAPI_V1_VIA_NEXT === "1";
const SHUTDOWN_GRACE_MS = 10_000;

function clientAddress(req: http.IncomingMessage): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string" && forwarded) return forwarded.split(",")[0]!.trim();
  return req.socket.remoteAddress ?? "unknown";
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  exportSecretsToEnv();
  const url = databaseUrl();
  if (process.env.ROOTAPI_SKIP_MIGRATIONS !== "1") {
    const { applied } = await migrate(url);
    if (applied.length) console.log(`Database (${databaseProvider(url)}): applied ${applied.join(", ")}`);
  }
  if (await seedSandbox(getDb())) console.log('Seeded the built-in "sandbox" channel (model sandbox-chat, free).');

  const gateway = getGateway();
  const stopRetests = startChannelRetests(getDb, gateway.config.channelRetestMs);
  const app = next({ dev, dir: process.cwd(), hostname: host, port });
  await app.prepare();
  const handleNext = app.getRequestHandler();

  // /v1 requests still being answered: shutdown waits for them so their settlement is queued.
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    const fail = (error: unknown) => {
      console.error("Request failed:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal Server Error");
    };
    if (!v1ViaNext && req.url?.startsWith("/v1/")) {
      const handling = handleWithNode(req, res, routeV1).catch(fail);
      inFlight.add(handling);
      void handling.finally(() => inFlight.delete(handling));
      return;
    }
    req.headers[CLIENT_IP_HEADER] = clientAddress(req);
    handleNext(req, res).catch(fail);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  // PORT=0 picks a free port (tests); report the one actually bound.
  const bound = (server.address() as AddressInfo).port;
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  console.log(`RootAPI ready on http://${shown}:${bound} (${dev ? "development" : "production"}, ${databaseProvider(url)})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests…`);
    stopRetests();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Streams still running after the grace period are cut; their metering still runs and is settled below.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([closed, grace]);
    server.closeAllConnections();
    // Cut streams end quickly (their upstream is aborted); each then meters and queues its settlement.
    await Promise.race([Promise.allSettled(inFlight), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await gateway.settlements.drain();
    await closeHotStore().catch(() => undefined);
    await closeDb().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
