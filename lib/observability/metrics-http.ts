import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { renderMetrics } from "./metrics";
import { logger } from "./log";

/**
 * Serving /metrics off the public surface: on the main port only with `Authorization: Bearer
 * $METRICS_TOKEN` (without a token configured the path is not answered at all, so it is not
 * advertised), and/or on its own listener (METRICS_PORT on METRICS_HOST, loopback by default)
 * that answers nothing else and needs no token.
 */
export interface MetricsConfig {
  token: string | null;
  port: number | null;
  host: string;
}

export function readMetricsConfig(env: Record<string, string | undefined> = process.env): MetricsConfig {
  const token = env.METRICS_TOKEN || null;
  const rawPort = env.METRICS_PORT;
  let port: number | null = null;
  if (rawPort !== undefined && rawPort !== "") {
    port = Number(rawPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`METRICS_PORT must be a port number, got "${rawPort}"`);
  }
  return { token, port, host: env.METRICS_HOST || "127.0.0.1" };
}

export function isMetricsPath(url: string | undefined): boolean {
  return url === "/metrics" || (url !== undefined && url.startsWith("/metrics?"));
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Compares digests, not the strings: equal lengths whatever was sent, so the time says nothing. */
export function bearerMatches(header: string | undefined, tokenDigest: Buffer): boolean {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return timingSafeEqual(digest(match ? match[1]!.trim() : ""), tokenDigest) && !!match;
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET", "content-type": "text/plain" }).end("Method Not Allowed\n");
    return;
  }
  try {
    const { contentType, body } = await renderMetrics();
    res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (error) {
    logger("metrics").error({ event: "metrics.render_failed", err: error }, "Rendering metrics failed");
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("Internal Server Error\n");
  }
}

export class MetricsEndpoint {
  private readonly tokenDigest: Buffer | null;
  private listener: http.Server | null = null;

  constructor(private readonly config: MetricsConfig) {
    this.tokenDigest = config.token ? digest(config.token) : null;
  }

  get enabled(): boolean {
    return this.tokenDigest !== null || this.config.port !== null;
  }

  /** On the main port: answers /metrics (true) when a token is configured; otherwise leaves it to the app (a 404). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (!this.tokenDigest || !isMetricsPath(req.url)) return false;
    if (!bearerMatches(req.headers.authorization, this.tokenDigest)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' }).end("Unauthorized\n");
      return true;
    }
    void answer(req, res);
    return true;
  }

  /** Starts the dedicated listener when METRICS_PORT is set; resolves to its URL. */
  async listen(): Promise<string | null> {
    if (this.config.port === null) return null;
    const server = http.createServer((req, res) => {
      if (isMetricsPath(req.url)) void answer(req, res);
      else res.writeHead(404, { "content-type": "text/plain" }).end("Not Found\n");
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.config.port!, this.config.host, resolve);
    });
    this.listener = server;
    const { port } = server.address() as AddressInfo;
    const host = this.config.host.includes(":") ? `[${this.config.host}]` : this.config.host;
    return `http://${host}:${port}/metrics`;
  }

  close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    if (!listener) return Promise.resolve();
    listener.closeAllConnections();
    return new Promise((resolve) => listener.close(() => resolve()));
  }
}
