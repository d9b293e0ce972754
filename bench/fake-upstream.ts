/**
 * A deliberately light OpenAI-compatible upstream: a bare node:http server answering every POST
 * with a fixed chat.completion (with usage), or — when the request asks for a stream — a few SSE
 * chunks, a usage chunk and `data: [DONE]`. Every byte is prepared once at start-up, so it costs
 * as little as an HTTP server can and the benchmark measures the gateway, not the upstream.
 *
 * Standalone: `node --import tsx bench/fake-upstream.ts [port]` prints "fake upstream listening on <port>".
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const MODEL = "bench-model";
const CREATED = 1_700_000_000;
export const UPSTREAM_USAGE = { prompt_tokens: 19, completion_tokens: 9 };

const usage = {
  ...UPSTREAM_USAGE,
  total_tokens: UPSTREAM_USAGE.prompt_tokens + UPSTREAM_USAGE.completion_tokens,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

const COMPLETION = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion",
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, message: { role: "assistant", content: "Hello! How can I help you today?", refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
    usage,
    service_tier: "default",
    system_fingerprint: "fp_bench",
  }),
);

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench0000000000000000000000", object: "chat.completion.chunk", created: CREATED, model: MODEL, system_fingerprint: "fp_bench", choices, ...extra })}\n\n`;
const delta = (d: Record<string, unknown>, finish: string | null = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];

const STREAM_EVENTS = [
  chunk(delta({ role: "assistant", content: "", refusal: null }), { usage: null }),
  chunk(delta({ content: "Hello" }), { usage: null }),
  chunk(delta({ content: "! How can I" }), { usage: null }),
  chunk(delta({ content: " help you today?" }), { usage: null }),
  chunk(delta({}, "stop"), { usage: null }),
  chunk([], { usage }),
  "data: [DONE]\n\n",
].map((event) => Buffer.from(event));

const JSON_HEADERS = { "content-type": "application/json", "content-length": String(COMPLETION.length), "openai-processing-ms": "1" };
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
const STREAM_FLAG = Buffer.from('"stream":true');

export interface FakeUpstream {
  /** Base URL of the OpenAI-compatible API, ending in /v1. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createFakeUpstreamServer(): http.Server {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
        return;
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (req.headers.accept === "text/event-stream" || body.includes(STREAM_FLAG)) {
        res.writeHead(200, SSE_HEADERS);
        for (const event of STREAM_EVENTS) res.write(event);
        res.end();
        return;
      }
      res.writeHead(200, JSON_HEADERS);
      res.end(COMPLETION);
    });
  });
  // Keep-alive connections from the gateway's pool and the load generator stay open.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  return server;
}

export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const server = createFakeUpstreamServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/v1`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (path.basename(process.argv[1] ?? "").startsWith("fake-upstream")) {
  const args = process.argv.slice(2);
  startFakeUpstream(Number(args.find((a) => /^\d+$/.test(a)) ?? 0)).then(
    (upstream) => {
      console.log(`fake upstream listening on ${upstream.port}`);
      if (args.includes("--exit-with-stdin")) {
        // Started by the orchestrator with a stdin pipe: when it goes away, so do we.
        process.stdin.on("end", () => process.exit(0));
        process.stdin.on("error", () => process.exit(0));
        process.stdin.resume();
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
