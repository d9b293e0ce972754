/**
 * A deliberately light upstream that speaks two APIs, as a bare node:http server:
 * - OpenAI's Chat Completions (any POST but the one below): a fixed chat.completion (with usage),
 *   or — when the request asks for a stream — a few SSE chunks, a usage chunk and `data: [DONE]`;
 * - Anthropic's Messages (`POST /v1/messages`): a fixed Message (with usage), or for streams the
 *   documented event sequence (message_start … message_delta with the final usage, message_stop).
 * Both answer the same text with the same token counts. Chat streams can also be long and paced
 * (pacedStream, for the stream-concurrency scenario). Every byte is prepared once at start-up,
 * so it costs as little as an HTTP server can and the benchmark measures the gateway, not the upstream.
 *
 * Standalone: `node --import tsx bench/fake-upstream.ts [port]` prints "fake upstream listening on <port>".
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const MODEL = "bench-model";
/** The model the bench's `anthropic` channel serves (setup.ts). */
const MESSAGES_MODEL = "bench-claude";
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

// Anthropic's Messages API: the same answer, as a Message and as its event sequence.
const MESSAGE_ID = "msg_bench000000000000000000";
const anthropicUsage = {
  input_tokens: UPSTREAM_USAGE.prompt_tokens,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens: UPSTREAM_USAGE.completion_tokens,
  service_tier: "standard",
};
const messageOf = (content: unknown[], stopReason: string | null, usage: Record<string, unknown>) => ({
  id: MESSAGE_ID,
  type: "message",
  role: "assistant",
  model: MESSAGES_MODEL,
  content,
  stop_reason: stopReason,
  stop_sequence: null,
  usage,
});

const MESSAGE = Buffer.from(JSON.stringify(messageOf([{ type: "text", text: "Hello! How can I help you today?" }], "end_turn", anthropicUsage)));

const event = (data: { type: string } & Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const textDelta = (text: string) => event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });

const MESSAGE_EVENTS = [
  event({ type: "message_start", message: messageOf([], null, { ...anthropicUsage, output_tokens: 1 }) }),
  event({ type: "ping" }),
  event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  textDelta("Hello"),
  textDelta("! How can I"),
  textDelta(" help you today?"),
  event({ type: "content_block_stop", index: 0 }),
  event({
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { input_tokens: anthropicUsage.input_tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: anthropicUsage.output_tokens },
  }),
  event({ type: "message_stop" }),
].map((e) => Buffer.from(e));

const MESSAGES_PATH = "/v1/messages";
const MESSAGE_HEADERS = { "content-type": "application/json", "content-length": String(MESSAGE.length), "request-id": "req_bench000000000000000000" };
const MESSAGE_SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "request-id": "req_bench000000000000000000" };

/**
 * Long paced streams for the stream-concurrency scenario: a request whose body carries
 * `"bench_pace":{"every_ms":100,"chunks":200}` gets one content chunk every `every_ms` for `chunks`
 * chunks, each chunk's content being its send time (ms since the epoch, µs precision) so the client
 * can tell how long the chunk took to reach it; then the finish chunk, usage (one token per chunk) and [DONE].
 */
const PACE_FLAG = Buffer.from('"bench_pace"');

export const sendTime = () => (performance.timeOrigin + performance.now()).toFixed(3);

function pacedStream(body: Buffer, res: http.ServerResponse): void {
  const { every_ms: every, chunks: count } = (JSON.parse(body.toString("utf8")) as { bench_pace: { every_ms: number; chunks: number } }).bench_pace;
  res.writeHead(200, SSE_HEADERS);
  res.write(STREAM_EVENTS[0]);
  let sent = 0;
  const timer = setInterval(() => {
    if (++sent <= count) {
      res.write(`data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":"${MODEL}","choices":[{"index":0,"delta":{"content":"${sendTime()}"},"logprobs":null,"finish_reason":null}]}\n\n`);
      return;
    }
    clearInterval(timer);
    const tokens = { prompt_tokens: UPSTREAM_USAGE.prompt_tokens, completion_tokens: count, total_tokens: UPSTREAM_USAGE.prompt_tokens + count };
    res.write(chunk(delta({}, "stop"), { usage: null }));
    res.write(chunk([], { usage: tokens }));
    res.end("data: [DONE]\n\n");
  }, every);
  res.once("close", () => clearInterval(timer));
}

const JSON_HEADERS = { "content-type": "application/json", "content-length": String(COMPLETION.length), "openai-processing-ms": "1" };
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
const STREAM_FLAG = Buffer.from('"stream":true');

export interface FakeUpstream {
  /** Base URL of the OpenAI-compatible API, ending in /v1 (Anthropic's Messages API is at <origin>/v1/messages). */
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
      const stream = req.headers.accept === "text/event-stream" || body.includes(STREAM_FLAG);
      if (req.url === MESSAGES_PATH || req.url?.startsWith(`${MESSAGES_PATH}?`)) {
        if (stream) {
          res.writeHead(200, MESSAGE_SSE_HEADERS);
          for (const e of MESSAGE_EVENTS) res.write(e);
          res.end();
          return;
        }
        res.writeHead(200, MESSAGE_HEADERS);
        res.end(MESSAGE);
        return;
      }
      if (stream && body.includes(PACE_FLAG)) return pacedStream(body, res);
      if (stream) {
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
