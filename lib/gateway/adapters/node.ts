import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyTooLarge } from "../errors";
import type { GatewayRequest, GatewayResponse } from "../http";

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
  const aborter = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) aborter.abort();
  });
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const request: GatewayRequest = {
    method: req.method ?? "GET",
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1)),
    header: (name) => {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    signal: aborter.signal,
    readBody: (limit) => readBody(req, limit),
  };
  const response = await handler(request);
  await writeResponse(res, response);
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
