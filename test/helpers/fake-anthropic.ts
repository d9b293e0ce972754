import http from "node:http";
import type { AddressInfo } from "node:net";
import type {
  ContentBlock,
  Message,
  MessageDeltaUsage,
  MessageTokensCount,
  RawContentBlockDelta,
  RawMessageStreamEvent,
  StopReason,
  TextBlock,
  ThinkingBlock,
  ToolUseBlock,
  Usage,
} from "@anthropic-ai/sdk/resources/messages";

/**
 * A scripted fake of Anthropic's Messages API for tests, speaking the documented wire format
 * (bodies and stream events typed from the official SDK's types).
 *
 * - `POST /v1/messages` (any query, e.g. Claude Code's `?beta=true`): JSON, or SSE when the body
 *   says `"stream": true`. Unscripted requests get {@link defaultMessage}: the text
 *   `You said: <the last user text>` with deterministic usage ({@link estimateInputTokens},
 *   {@link estimateOutputTokens}).
 * - `POST /v1/messages/count_tokens` → `{"input_tokens": estimateInputTokens(body)}`.
 * - Auth like Anthropic: `x-api-key: <apiKey>`, or `Authorization: Bearer <apiKey or authToken>`
 *   (the official SDK since 1.x sends API keys as Bearer; Claude Code sends `x-api-key`, or Bearer
 *   with ANTHROPIC_AUTH_TOKEN), else 401 `authentication_error`; `bearer: false` accepts `x-api-key`
 *   only. Then an `anthropic-version` header is required, else 400 `invalid_request_error`.
 * - Every request is recorded (headers incl. `anthropic-beta`, parsed body) in `received`.
 *
 * Tests script answers with `enqueue(...replies)` (served in order to `/v1/messages`, before the
 * handler) or `setHandler(request => reply | undefined)` (undefined → the default answer).
 */

export const FAKE_ANTHROPIC_API_KEY = "sk-ant-fake-test-key";
export const FAKE_ANTHROPIC_MODEL = "claude-sonnet-5";

export interface AnthropicReceivedRequest {
  method: string;
  /** The request target as sent, query included (`/v1/messages?beta=true`). */
  path: string;
  /** The path without its query (`/v1/messages`). */
  pathname: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Set when the client closed the connection before the answer was complete. */
  aborted: boolean;
}

/** Anthropic's error types by HTTP status (https://docs.claude.com/en/api/errors). */
export const ANTHROPIC_ERROR_TYPES = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
} as const;
export type AnthropicErrorType = (typeof ANTHROPIC_ERROR_TYPES)[keyof typeof ANTHROPIC_ERROR_TYPES];

/** `{"type":"error","error":{"type","message"},"request_id"}` as Anthropic sends it (body and SSE `error` event). */
export interface AnthropicErrorBody {
  type: "error";
  error: { type: AnthropicErrorType | (string & {}); message: string };
  request_id: string | null;
}

export type StreamEvent = RawMessageStreamEvent | { type: "ping" } | AnthropicErrorBody;

export type AnthropicReply =
  /** A whole message: JSON for non-stream requests, the documented event sequence for streams. */
  | { kind: "message"; message: Message | ((request: AnthropicReceivedRequest) => Message); delayMs?: number; eventDelayMs?: number }
  /** An HTTP error in Anthropic's shape (see {@link errorReply}). */
  | { kind: "error"; status: number; type: string; message: string; headers?: Record<string, string> }
  /**
   * HTTP 200 and the message's events, cut after `afterEvents` of them (0: before anything, 2: after
   * `message_start` and `ping`, i.e. before any content), then an SSE `error` event and the end.
   */
  | { kind: "stream-error"; message: Message; afterEvents: number; error: { type: string; message: string } }
  /** Exactly these SSE events (each sent as `event: <type>` + `data: <json>`). */
  | { kind: "events"; events: StreamEvent[]; eventDelayMs?: number }
  /** Never answers; with `afterEvents`, a stream sends its first events (of `message`) then stalls. */
  | { kind: "hang"; afterEvents?: number; message?: Message }
  /** Drops the connection: before the status line, or (`afterEvents`) in the middle of a stream. */
  | { kind: "drop"; afterEvents?: number; message?: Message }
  /** Anything else, verbatim. */
  | { kind: "raw"; status: number; body: string; headers?: Record<string, string> };

export type AnthropicHandler = (request: AnthropicReceivedRequest) => AnthropicReply | undefined | Promise<AnthropicReply | undefined>;

export interface FakeAnthropicOptions {
  /** The key `x-api-key` must carry (default {@link FAKE_ANTHROPIC_API_KEY}). */
  apiKey?: string;
  /** When set, `Authorization: Bearer <authToken>` is accepted as well (Claude Code's ANTHROPIC_AUTH_TOKEN). */
  authToken?: string;
  /** Whether `Authorization: Bearer` is accepted at all (default true); false → `x-api-key` only. */
  bearer?: boolean;
  handler?: AnthropicHandler;
  /** Fixed usage for the default answer instead of the counts derived from the request. */
  defaultUsage?: Partial<UsageCounts>;
}

export interface FakeAnthropic {
  /** `http://127.0.0.1:<port>` — the SDK's `baseURL` and Claude Code's ANTHROPIC_BASE_URL (no `/v1`). */
  origin: string;
  received: AnthropicReceivedRequest[];
  /** Requests to `POST /v1/messages` only. */
  messages(): AnthropicReceivedRequest[];
  /** Replies served, in order, to the next `/v1/messages` requests (before the handler). */
  enqueue(...replies: AnthropicReply[]): void;
  setHandler(handler: AnthropicHandler | undefined): void;
  /** Changes the accepted credentials (omitted `authToken` → none; omitted `bearer` → true). */
  setAuth(auth: { apiKey?: string; authToken?: string; bearer?: boolean }): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Deterministic token counts

/**
 * The fake's input token count for a Messages body (used by count_tokens and the default answer):
 * ⌈UTF-8 bytes of `JSON.stringify({ system, messages, tools })` / 4⌉, at least 1 (absent fields → null).
 * The model and other parameters do not count, so a gateway that renames the model keeps the count.
 */
export function estimateInputTokens(body: Record<string, unknown>): number {
  const counted = JSON.stringify({ system: body.system ?? null, messages: body.messages ?? null, tools: body.tools ?? null });
  return Math.max(1, Math.ceil(Buffer.byteLength(counted, "utf8") / 4));
}

/** The fake's output token count for a text: ⌈UTF-8 bytes / 4⌉, at least 1. */
export function estimateOutputTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, "utf8") / 4));
}

/** The text of the last user message (string content, or its text blocks joined with "\n"). */
export function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  if (!Array.isArray(last.content)) return "";
  const texts = (last.content as { type?: string; text?: string }[]).filter((b) => b.type === "text" && typeof b.text === "string").map((b) => b.text as string);
  // Claude Code puts <system-reminder> blocks before the prompt; the prompt is the last text block.
  return texts.at(-1) ?? "";
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface UsageCounts {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  /** Split between 5-minute and 1-hour cache writes; their sum is `cache_creation_input_tokens`. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  thinking_tokens?: number;
}

/** A full `Usage` as Anthropic reports it (cache fields always present, zero when unused). */
export function usage(counts: UsageCounts): Usage {
  const creation = counts.cache_creation ?? { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
  return {
    input_tokens: counts.input_tokens,
    cache_creation_input_tokens: creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens,
    cache_read_input_tokens: counts.cache_read_input_tokens ?? 0,
    cache_creation: { ...creation },
    output_tokens: counts.output_tokens,
    output_tokens_details: counts.thinking_tokens === undefined ? null : { thinking_tokens: counts.thinking_tokens },
    server_tool_use: null,
    service_tier: "standard",
    inference_geo: null,
    speed: null,
  };
}

let messageCounter = 0;

export interface MessageOptions {
  model?: string;
  id?: string;
  usage?: UsageCounts;
  stop_reason?: StopReason;
}

/** A whole `Message` with these content blocks. Stop reason: `tool_use` when a tool is called, else `end_turn`. */
export function message(content: ContentBlock[], options: MessageOptions = {}): Message {
  const outputText = content.map((b) => (b.type === "text" ? b.text : b.type === "thinking" ? b.thinking : b.type === "tool_use" ? JSON.stringify(b.input) : "")).join("");
  return {
    id: options.id ?? `msg_fake${String(++messageCounter).padStart(6, "0")}`,
    type: "message",
    role: "assistant",
    model: options.model ?? FAKE_ANTHROPIC_MODEL,
    content,
    stop_reason: options.stop_reason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn"),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usage(options.usage ?? { input_tokens: 10, output_tokens: estimateOutputTokens(outputText) }),
  };
}

export function textBlock(text: string): TextBlock {
  return { type: "text", text, citations: null };
}

export function toolUseBlock(name: string, input: Record<string, unknown>, id = `toolu_fake${String(++messageCounter).padStart(6, "0")}`): ToolUseBlock {
  return { type: "tool_use", id, name, input, caller: { type: "direct" } };
}

export function thinkingBlock(thinking: string, signature = "fake-signature-" + Buffer.from(thinking).toString("base64").slice(0, 24)): ThinkingBlock {
  return { type: "thinking", thinking, signature };
}

export const textMessage = (text: string, options?: MessageOptions) => message([textBlock(text)], options);

/**
 * The fake's answer to an unscripted request: `You said: <last user text>`, the request's model,
 * usage `{ input_tokens: estimateInputTokens(body), output_tokens: estimateOutputTokens(text) }`
 * (each replaceable by `usageOverride`), no cache use.
 */
export function defaultMessage(body: Record<string, unknown>, usageOverride: Partial<UsageCounts> = {}): Message {
  const text = `You said: ${lastUserText(body)}`;
  return textMessage(text, {
    model: typeof body.model === "string" ? body.model : FAKE_ANTHROPIC_MODEL,
    usage: { input_tokens: estimateInputTokens(body), output_tokens: estimateOutputTokens(text), ...usageOverride },
  });
}

let requestCounter = 0;
const nextRequestId = () => `req_fake${String(++requestCounter).padStart(8, "0")}`;

/**
 * An HTTP error in Anthropic's shape for this status (type from {@link ANTHROPIC_ERROR_TYPES},
 * `api_error` for unknown ones); 429 and 529 carry `retry-after` (seconds, default 1).
 */
export function errorReply(status: number, options: { message?: string; type?: string; retryAfter?: number; headers?: Record<string, string> } = {}): AnthropicReply {
  const type = options.type ?? (ANTHROPIC_ERROR_TYPES as Record<number, string>)[status] ?? "api_error";
  const headers: Record<string, string> = { ...options.headers };
  if (status === 429 || status === 529 || options.retryAfter !== undefined) headers["retry-after"] = String(options.retryAfter ?? 1);
  return { kind: "error", status, type, message: options.message ?? `Fake ${type} (${status})`, headers };
}

/** An `error` SSE event after HTTP 200: `before: "content"` right after message_start and ping; `"mid"` after the first content block's first delta. */
export function streamErrorReply(before: "content" | "mid" = "content", error: { type: string; message: string } = { type: "overloaded_error", message: "Overloaded" }, msg: Message = textMessage("Half an answer that never ends")): AnthropicReply {
  return { kind: "stream-error", message: msg, afterEvents: before === "content" ? 2 : 4, error };
}

// ---------------------------------------------------------------------------------------------
// Streaming

function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) return [""];
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Word-sized text fragments (each fragment keeps its trailing space). */
function words(text: string): string[] {
  const parts = text.match(/\S+\s*|\s+/g) ?? [""];
  return parts.length ? parts : [""];
}

function blockDeltas(block: ContentBlock): RawContentBlockDelta[] {
  switch (block.type) {
    case "text":
      return words(block.text).map((text) => ({ type: "text_delta", text }));
    case "tool_use": {
      // Like Anthropic: an empty first fragment, then the JSON in several pieces.
      const json = JSON.stringify(block.input);
      return ["", ...splitInto(json, 3)].map((partial_json) => ({ type: "input_json_delta", partial_json }));
    }
    case "thinking":
      return [...splitInto(block.thinking, 2).map((thinking) => ({ type: "thinking_delta" as const, thinking })), { type: "signature_delta", signature: block.signature }];
    default:
      return [];
  }
}

function blockStart(block: ContentBlock): ContentBlock {
  switch (block.type) {
    case "text":
      return { ...block, text: "" };
    case "tool_use":
      return { ...block, input: {} };
    case "thinking":
      return { ...block, thinking: "", signature: "" };
    default:
      return block;
  }
}

/**
 * The documented event sequence for a message: `message_start` (empty content, no stop reason,
 * input-side usage and a small initial output count), `ping`, per block `content_block_start` /
 * deltas / `content_block_stop`, `message_delta` (stop reason; cumulative usage: input, cache and
 * final output counts), `message_stop`.
 */
export function messageEvents(msg: Message): StreamEvent[] {
  const startUsage: Usage = { ...msg.usage, cache_creation: msg.usage.cache_creation && { ...msg.usage.cache_creation }, output_tokens: Math.min(1, msg.usage.output_tokens), output_tokens_details: null };
  const events: StreamEvent[] = [
    { type: "message_start", message: { ...msg, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: startUsage } },
    { type: "ping" },
  ];
  msg.content.forEach((block, index) => {
    events.push({ type: "content_block_start", index, content_block: blockStart(block) });
    for (const delta of blockDeltas(block)) events.push({ type: "content_block_delta", index, delta });
    events.push({ type: "content_block_stop", index });
  });
  const deltaUsage: MessageDeltaUsage = {
    input_tokens: msg.usage.input_tokens,
    cache_creation_input_tokens: msg.usage.cache_creation_input_tokens,
    cache_read_input_tokens: msg.usage.cache_read_input_tokens,
    output_tokens: msg.usage.output_tokens,
    output_tokens_details: msg.usage.output_tokens_details,
    server_tool_use: msg.usage.server_tool_use,
  };
  events.push({ type: "message_delta", delta: { stop_reason: msg.stop_reason, stop_sequence: msg.stop_sequence, stop_details: msg.stop_details, container: msg.container }, usage: deltaUsage });
  events.push({ type: "message_stop" });
  return events;
}

export function sseFrame(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

// ---------------------------------------------------------------------------------------------
// Server

function errorBody(type: string, message: string, requestId: string): AnthropicErrorBody {
  return { type: "error", error: { type, message }, request_id: requestId };
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  let apiKey = options.apiKey ?? FAKE_ANTHROPIC_API_KEY;
  let authToken = options.authToken;
  let bearerAccepted = options.bearer ?? true;
  let handler = options.handler;
  const queue: AnthropicReply[] = [];
  const received: AnthropicReceivedRequest[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const requestId = nextRequestId();
      const pathname = new URL(req.url ?? "/", "http://fake").pathname;
      let body: Record<string, unknown> = {};
      let parseError = false;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parseError = true;
      }
      const record: AnthropicReceivedRequest = { method: req.method ?? "", path: req.url ?? "", pathname, headers: req.headers, body, aborted: false };
      received.push(record);
      res.on("close", () => {
        if (!res.writableFinished) record.aborted = true;
      });
      const baseHeaders = { "request-id": requestId };
      const sendJson = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...baseHeaders, ...headers });
        res.end(JSON.stringify(payload));
      };
      const sendError = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
        sendJson(status, errorBody(type, message, requestId), { "x-should-retry": String(status === 429 || status >= 500), ...headers });

      // Auth and version, like Anthropic.
      const key = req.headers["x-api-key"];
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const authorized = key === apiKey || (bearerAccepted && bearer !== undefined && (bearer === apiKey || bearer === authToken));
      if (!authorized) return sendError(401, "authentication_error", key || bearer ? "invalid x-api-key" : "x-api-key header is required");
      if (!req.headers["anthropic-version"]) return sendError(400, "invalid_request_error", "anthropic-version: header is required");
      if (parseError) return sendError(400, "invalid_request_error", "The request body is not valid JSON.");

      if (req.method === "POST" && pathname === "/v1/messages/count_tokens") {
        if (typeof body.model !== "string" || !Array.isArray(body.messages)) return sendError(400, "invalid_request_error", "model and messages are required");
        const count: MessageTokensCount = { input_tokens: estimateInputTokens(body) };
        return sendJson(200, count);
      }
      if (req.method !== "POST" || pathname !== "/v1/messages") return sendError(404, "not_found_error", `Not found: ${req.method} ${pathname}`);
      if (typeof body.model !== "string" || !Array.isArray(body.messages) || typeof body.max_tokens !== "number") {
        return sendError(400, "invalid_request_error", "model, messages and max_tokens are required");
      }

      const reply: AnthropicReply = queue.shift() ?? (await handler?.(record)) ?? { kind: "message", message: defaultMessage(body, options.defaultUsage) };
      const stream = body.stream === true;
      const startStream = () => res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...baseHeaders });
      const writeEvents = async (events: StreamEvent[], delayMs = 0) => {
        for (const event of events) {
          if (res.destroyed) return false;
          res.write(sseFrame(event));
          if (delayMs) await sleep(delayMs);
        }
        return !res.destroyed;
      };

      switch (reply.kind) {
        case "message": {
          const msg = typeof reply.message === "function" ? reply.message(record) : reply.message;
          if (reply.delayMs) await sleep(reply.delayMs);
          if (!stream) return sendJson(200, msg);
          startStream();
          if (await writeEvents(messageEvents(msg), reply.eventDelayMs)) res.end();
          return;
        }
        case "error":
          return sendError(reply.status, reply.type, reply.message, reply.headers);
        case "stream-error":
          startStream();
          if (await writeEvents([...messageEvents(reply.message).slice(0, reply.afterEvents), errorBody(reply.error.type, reply.error.message, requestId)])) res.end();
          return;
        case "events":
          startStream();
          if (await writeEvents(reply.events, reply.eventDelayMs)) res.end();
          return;
        case "hang":
          if (reply.afterEvents !== undefined) {
            startStream();
            await writeEvents(messageEvents(reply.message ?? defaultMessage(body, options.defaultUsage)).slice(0, reply.afterEvents));
          }
          return;
        case "drop":
          if (reply.afterEvents !== undefined) {
            startStream();
            await writeEvents(messageEvents(reply.message ?? defaultMessage(body, options.defaultUsage)).slice(0, reply.afterEvents));
            await sleep(20);
          }
          req.socket.destroy();
          return;
        case "raw":
          res.writeHead(reply.status, { ...baseHeaders, ...reply.headers });
          res.end(reply.body);
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    messages: () => received.filter((r) => r.method === "POST" && r.pathname === "/v1/messages"),
    enqueue: (...replies) => void queue.push(...replies),
    setHandler: (h) => void (handler = h),
    setAuth: (auth) => {
      if (auth.apiKey !== undefined) apiKey = auth.apiKey;
      authToken = auth.authToken;
      bearerAccepted = auth.bearer ?? true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
