import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyTooLarge } from "../pipeline/errors";
import type { GatewayRequest, GatewayResponse } from "./types";

/**
 * node:http ⇄ the gateway's HTTP shapes, so the custom server can answer /v1 before Next's router
 * (whose per-request cost dwarfs the gateway's). Streams are written chunk by chunk, respecting
 * back-pressure; a client that goes away aborts the request's signal and stops the stream.
 */
export async function handleWithNode(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (request: GatewayRequest) => Promise<GatewayResponse>,
): Promise<void> {
  const request = new NodeRequest(req, res);
  const response = await handler(request);
  await writeResponse(res, response);
}

/** A GatewayRequest over node:http, as a class: no per-request closures, the query parsed on demand. */
class NodeRequest implements GatewayRequest {
  readonly method: string;
  readonly path: string;
  readonly signal: AbortSignal;
  private readonly search: string;
  private parsedQuery: URLSearchParams | null = null;

  constructor(
    private readonly req: IncomingMessage,
    res: ServerResponse,
  ) {
    const aborter = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) aborter.abort();
    });
    this.signal = aborter.signal;
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    this.method = req.method ?? "GET";
    this.path = queryAt === -1 ? url : url.slice(0, queryAt);
    this.search = queryAt === -1 ? "" : url.slice(queryAt + 1);
  }

  get query(): URLSearchParams {
    return (this.parsedQuery ??= new URLSearchParams(this.search));
  }

  header(name: string): string | null {
    const value = this.req.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  readBody(limit: number): Promise<Uint8Array> {
    return readBody(this.req, limit);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers["content-length"] ?? -1);
  if (declared > limit) return Promise.reject(bodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

async function writeResponse(res: ServerResponse, response: GatewayResponse): Promise<void> {
  const { body } = response;
  if (body === null || typeof body === "string" || body instanceof Uint8Array) {
    if (typeof body === "string") response.headers["content-length"] ??= String(Buffer.byteLength(body));
    else if (body) response.headers["content-length"] ??= String(body.length);
    res.writeHead(response.status, response.headers);
    res.end(body ?? undefined);
    return;
  }
  res.writeHead(response.status, response.headers);
  // Send the headers now: a stream's first event may take a while (reasoning models).
  res.flushHeaders();
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (res.destroyed) break;
      const { done, value } = await iterator.next();
      if (done) break;
      if (!res.write(value)) await drained(res);
    }
  } finally {
    // Runs the stream's cleanup (metering, settlement) even when the client left mid-way.
    await iterator.return?.();
    if (!res.destroyed) res.end();
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
