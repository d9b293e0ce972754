/**
 * The floor: the least a Node gateway can do — node:http in, one undici pool out, bytes piped both
 * ways, nothing else (no auth, no parsing, no metering, no database). Every run measures it beside
 * RootAPI on the same core, so RootAPI's numbers read as a fraction of what Node itself allows.
 *
 * Standalone: `node --import tsx bench/bare-proxy.ts <upstream origin>` prints "bare proxy listening on <port>".
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Pool } from "undici";

/** The request headers that matter to the upstream; hop-by-hop ones stay with their connection. */
const FORWARDED = ["content-type", "content-length", "accept", "authorization", "x-api-key", "anthropic-version"];

export function createBareProxy(upstreamOrigin: string): http.Server {
  const pool = new Pool(upstreamOrigin, { connections: null, pipelining: 1, keepAliveTimeout: 120_000 });
  const server = http.createServer((req, res) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    pool.request({ method: req.method as "POST", path: req.url ?? "/", headers, body: req }).then(
      (upstream) => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(upstream.headers)) {
          if (typeof value === "string" && name !== "connection" && name !== "keep-alive" && name !== "transfer-encoding") out[name] = value;
        }
        res.writeHead(upstream.statusCode, out);
        upstream.body.pipe(res);
      },
      () => {
        res.writeHead(502, { "content-type": "application/json" });
        res.end('{"error":{"message":"upstream failed","type":"api_error","param":null,"code":null}}');
      },
    );
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.on("close", () => void pool.close());
  return server;
}

if (path.basename(process.argv[1] ?? "").startsWith("bare-proxy")) {
  const origin = process.argv[2];
  if (!origin) {
    console.error("usage: bare-proxy.ts <upstream origin>");
    process.exit(2);
  }
  const server = createBareProxy(origin);
  server.listen(0, "127.0.0.1", () => {
    console.log(`bare proxy listening on ${(server.address() as AddressInfo).port}`);
    // Started by the orchestrator with a stdin pipe: when it goes away, so do we.
    process.stdin.on("end", () => process.exit(0));
    process.stdin.on("error", () => process.exit(0));
    process.stdin.resume();
  });
}
