import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A scripted OpenAI-compatible upstream for tests: records what it receives and answers with
 * whatever the test's handler says (JSON, SSE chunks with delays, errors, hanging).
 */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Set when the gateway closed the connection before the answer was complete. */
  aborted: boolean;
}

export type Reply =
  | { kind: "json"; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Declares the whole body's length, sends the first `sent` bytes of it, then drops the connection. */
  | { kind: "truncated"; body: unknown; sent: number }
  | { kind: "sse"; events: string[]; delayMs?: number; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "destroy" };

export type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface FakeUpstream {
  url: string;
  received: ReceivedRequest[];
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeUpstream(handler: Handler): Promise<FakeUpstream> {
  let current = handler;
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const record: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : {}, aborted: false };
      received.push(record);
      res.on("close", () => {
        if (!res.writableFinished) record.aborted = true;
      });
      const reply = await current(record);
      if (reply.kind === "hang") return;
      if (reply.kind === "destroy") return void req.socket.destroy();
      if (reply.kind === "truncated") {
        const whole = Buffer.from(JSON.stringify(reply.body));
        res.writeHead(200, { "content-type": "application/json", "content-length": String(whole.length) });
        res.write(whole.subarray(0, reply.sent));
        return void setTimeout(() => req.socket.destroy(), 20);
      }
      if (reply.kind === "json") {
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        return void res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      }
      res.writeHead(200, { "content-type": "text/event-stream", ...reply.headers });
      for (const event of reply.events) {
        if (res.destroyed) return;
        res.write(event);
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    setHandler: (h) => (current = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A chat completion as OpenAI returns it. */
export function completion(content: string, usage = { prompt_tokens: 11, completion_tokens: 7 }, extra: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-fake123",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "upstream-model",
    system_fingerprint: "fp_fake",
    service_tier: "default",
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
    ...extra,
  };
}

/** SSE events for a streamed answer, word by word, with a usage chunk when `usage` is given. */
export function streamEvents(words: string[], usage?: { prompt_tokens: number; completion_tokens: number }): string[] {
  const base = { id: "chatcmpl-fake123", object: "chat.completion.chunk", created: 1_700_000_000, model: "upstream-model", system_fingerprint: "fp_fake" };
  const withUsage = usage ? { usage: null } : {};
  const events = [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }], ...withUsage },
    ...words.map((w) => ({ ...base, choices: [{ index: 0, delta: { content: w }, logprobs: null, finish_reason: null }], ...withUsage })),
    { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }], ...withUsage },
  ].map((e) => `data: ${JSON.stringify(e)}\n\n`);
  if (usage) events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}\n\n`);
  events.push("data: [DONE]\n\n");
  return events;
}
