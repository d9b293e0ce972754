/**
 * Production (and dev) entry point: prepares the database and secrets, then serves the Next.js app
 * from a plain node:http server so the gateway can later take /v1 before Next's router.
 *
 *   npm start            # after npm run build
 *   npm run dev          # hot reload
 */
import http from "node:http";
import next from "next";
import { exportSecretsToEnv } from "../lib/config/secrets";
import { migrate } from "../lib/db/migrate";
import { databaseProvider, databaseUrl } from "../lib/db/url";
import { CLIENT_IP_HEADER } from "../lib/auth/client-ip";
import { closeDb } from "../lib/db/client";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ? Number(process.env.PORT) : 3000;
// HOST, not HOSTNAME: many shells and container runtimes set HOSTNAME to the machine's name.
const host = process.env.HOST || "0.0.0.0";
const trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";

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

  const app = next({ dev, dir: process.cwd(), hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientAddress(req);
    handle(req, res).catch((error: unknown) => {
      console.error("Request failed:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal Server Error");
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  // PORT=0 picks a free port (tests); report the one actually bound.
  const bound = (server.address() as import("node:net").AddressInfo).port;
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  console.log(`RootAPI ready on http://${shown}:${bound} (${dev ? "development" : "production"}, ${databaseProvider(url)})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests…`);
    // Stop accepting connections; let in-flight requests end (bounded), then release the database.
    const force = setTimeout(() => process.exit(0), 10_000).unref();
    server.close(async () => {
      clearTimeout(force);
      await closeDb().catch(() => undefined);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
