import http from "node:http";
import type { AddressInfo } from "node:net";
import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import { Stream } from "openai/core/streaming";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { readAll } from "@/lib/gateway/http/upstream-body";
import type { UpstreamResponse } from "@/lib/gateway/providers/types";

/**
 * A local HTTP server for provider unit tests: every request is recorded (its body read whole) and
 * answered by the test's handler. Started before the file's tests, cleared before each, closed after.
 */
export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type ScriptedHandler = (req: Seen, res: http.ServerResponse) => void | Promise<void>;

export function useScriptedServer(handle: ScriptedHandler): { readonly origin: string; readonly seen: Seen[] } {
  let server: http.Server;
  let origin = "";
  const seen: Seen[] = [];
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const parts: Buffer[] = [];
      for await (const part of req) parts.push(part as Buffer);
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(parts) };
      seen.push(request);
      await handle(request, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });
  return {
    get origin() {
      return origin;
    },
    seen,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function answerJson(status: number, body: unknown, headers: Record<string, string>): ScriptedHandler {
  return (_req, res) => void res.writeHead(status, { "content-type": "application/json", ...headers }).end(typeof body === "string" ? body : JSON.stringify(body));
}

/** Writes the SSE text in the given pieces, waiting `gapMs` between them. */
export function answerStream(pieces: string[], gapMs: number, headers: Record<string, string>): ScriptedHandler {
  return async (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", ...headers }).flushHeaders();
    for (const piece of pieces) {
      res.write(piece);
      if (gapMs) await sleep(gapMs);
    }
    res.end();
  };
}

/** Splits a string into pieces of `size` characters (cuts events anywhere, as TCP does). */
export const pieces = (value: string, size: number) => Array.from({ length: Math.ceil(value.length / size) }, (_, i) => value.slice(i * size, (i + 1) * size));

export const text = async (response: UpstreamResponse) => Buffer.from(await readAll(response.body)).toString("utf8");

/** The chat stream as the openai SDK reads SSE and accumulates chunks into a completion. */
export async function accumulate(response: UpstreamResponse) {
  const stream = Stream.fromSSEResponse(new Response(await text(response)), new AbortController());
  return ChatCompletionStream.fromReadableStream(stream.toReadableStream()).finalChatCompletion();
}
