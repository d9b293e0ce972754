// GET /healthz (the process is alive: no dependency is consulted) and GET /readyz (see health.ts),
// answered by the custom server before Next's router, like /v1.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ReadinessProbe } from "./health";

const PATHS = new Set(["/healthz", "/readyz"]);

/** Whether the request is for a health endpoint (the query string is ignored). */
export function isHealthRequest(url: string | undefined): boolean {
  if (!url) return false;
  const queryAt = url.indexOf("?");
  return PATHS.has(queryAt === -1 ? url : url.slice(0, queryAt));
}

export async function answerHealth(req: IncomingMessage, res: ServerResponse, probe: ReadinessProbe): Promise<void> {
  const url = req.url ?? "";
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(req, res, 405, { error: { message: `Method ${req.method} is not allowed; use GET.`, code: "method_not_allowed" } }, { allow: "GET, HEAD" });
    return;
  }
  if (url.startsWith("/healthz")) {
    send(req, res, 200, { status: "ok" });
    return;
  }
  const readiness = await probe.check();
  send(req, res, readiness.status === "ready" ? 200 : 503, readiness);
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    // A cached "ready" would hide an outage from the next poll.
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : text);
}
