/**
 * The built-in `sandbox` channel type: an offline, keyless stand-in for an OpenAI model, so a fresh
 * install works end to end and the gateway can be integration-tested without the internet. It
 * serves every model id starting with `sandbox-` (the seeded ones are `sandbox-chat` and, for
 * embeddings, `sandbox-embedding`) and answers
 * deterministically: the same request gives the same bytes apart from `id`, `created` and tool-call
 * ids (derived from the request id) — in OpenAI's exact wire format, streaming included.
 *
 * What it answers:
 * - text: an echo of the last user message with its word and character counts (images and a
 *   system prompt are mentioned); after a tool result, a summary of what the tool returned;
 * - tools: only when told to — `tool_choice` "required" (the first function tool), a named
 *   function, or `[sandbox:tool=NAME]` — it calls that tool with arguments generated to satisfy its
 *   JSON Schema; tools merely offered get a text answer, so an agent loop comes to an end;
 * - `response_format` json_object → `{"echo": "<user text>"}`; json_schema → a value of the schema;
 * - honours n, max_tokens / max_completion_tokens (finish_reason "length"), stop, logprobs and
 *   top_logprobs, stream_options.include_usage; usage comes from the real o200k tokenizer.
 *
 * Directives — put these in the last user message; they are removed from the echoed text:
 *   [sandbox:status=NNN]     respond with HTTP NNN (400–599) and an OpenAI error body;
 *                            429 also sends `retry-after: 1`.
 *   [sandbox:delay=N]        streams: N ms between words (0 allowed; default 15, or the channel
 *                            config's `streamDelayMs`). Non-stream: wait N ms before responding
 *                            (also before a simulated error) — handy for timeout tests.
 *   [sandbox:error_after=N]  streams only: after N content chunks the body iterator throws, as a
 *                            dropped upstream connection would (before the finish chunk if the
 *                            reply has N or fewer content chunks).
 *   [sandbox:no_usage]       no usage at all (no `usage` field; no usage chunk even if asked),
 *                            so the gateway has to estimate.
 *   [sandbox:tool=NAME]      call the function tool NAME (400 when `tools` has none by that name).
 * Unknown or malformed directives stay in the text, so a typo shows up in the answer.
 */
import { createHash } from "node:crypto";
import { MAX_DELAY_MS } from "./directives";
import { composeReply } from "./reply";
import { readRequest, SandboxRequestError, type SandboxRequest } from "./request";
import { completionBody, simulatedError, streamSteps, type ResponseMeta, type StreamStep } from "./wire";
import { SSE_DONE, sseEvent } from "../../http/sse";
import { countInputTokens } from "../../pipeline/tokens";
import { UpstreamConnectionError, type ChatCompletionCall, type EmbeddingsCall, type Provider, type UpstreamResponse } from "../types";
import { embeddingInputs, embeddingsRequestSchema } from "../../../schemas/embeddings";
import { SANDBOX_EMBEDDING_DIMENSIONS, SANDBOX_MAX_DIMENSIONS, SANDBOX_MAX_VALUES, sandboxEmbedding, toBase64 } from "./embedding";

export const DEFAULT_STREAM_DELAY_MS = 15;

export const sandboxProvider: Provider = {
  type: "sandbox",
  needsBaseUrl: false,
  async chatCompletions(call: ChatCompletionCall): Promise<UpstreamResponse> {
    if (call.signal.aborted) throw connectionError(call.signal);

    let request: SandboxRequest;
    try {
      request = readRequest(call.body);
    } catch (error) {
      if (!(error instanceof SandboxRequestError)) throw error;
      const body = { error: { message: error.message, type: "invalid_request_error", param: error.param, code: error.code } };
      return upstreamJson(call, error.status, body);
    }

    const { directives } = request;
    if (directives.delayMs !== undefined && (!call.stream || directives.status !== undefined)) {
      // Like an upstream that is slow to send its headers: an abort now is a connection failure.
      if (!(await wait(directives.delayMs, call.signal))) throw connectionError(call.signal);
    }
    if (directives.status !== undefined) {
      const { body, headers } = simulatedError(directives.status);
      return upstreamJson(call, directives.status, body, headers);
    }

    const reply = composeReply(request);
    const meta: ResponseMeta = {
      id: `chatcmpl-${digest(call.requestId, 29)}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      toolCallIds: Array.from({ length: request.n }, (_, i) => `call_${digest(`${call.requestId}:tool_call:${i}`, 24)}`),
    };
    if (!call.stream) return upstreamJson(call, 200, completionBody(meta, request, reply));

    const delayMs = directives.delayMs ?? channelDelay(call) ?? DEFAULT_STREAM_DELAY_MS;
    const discarded = new AbortController();
    return {
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8", "x-request-id": call.requestId },
      body: streamBody(streamSteps(meta, request, reply), { delayMs, errorAfter: directives.errorAfter, signal: call.signal, discarded: discarded.signal }),
      discard: () => discarded.abort(),
    };
  },

  /**
   * Deterministic unit vectors (see embedding.ts): 256 dimensions unless `dimensions` asks for
   * another number (up to 3072), as floats or, with `encoding_format: "base64"`, as OpenAI encodes them.
   */
  async embeddings(call: EmbeddingsCall): Promise<UpstreamResponse> {
    if (call.signal.aborted) throw connectionError(call.signal);
    const parsed = embeddingsRequestSchema.safeParse(call.body);
    if (!parsed.success) return upstreamJson(call, 400, invalidBody(parsed.error.issues[0]?.message ?? "invalid request", null));
    const request = parsed.data;
    const dimensions = request.dimensions ?? SANDBOX_EMBEDDING_DIMENSIONS;
    if (dimensions > SANDBOX_MAX_DIMENSIONS) {
      return upstreamJson(call, 400, invalidBody(`This model's maximum for 'dimensions' is ${SANDBOX_MAX_DIMENSIONS}; ${dimensions} was requested.`, "dimensions"));
    }
    const inputs = embeddingInputs(request.input);
    if (inputs.length * dimensions > SANDBOX_MAX_VALUES) {
      const message = `The sandbox answers at most ${SANDBOX_MAX_VALUES} numbers per request (inputs × dimensions); send fewer inputs or dimensions.`;
      return upstreamJson(call, 400, invalidBody(message, "dimensions"));
    }
    const base64 = request.encoding_format === "base64";
    let tokens = 0;
    const data = inputs.map((input, index) => {
      tokens += countInputTokens(input);
      const vector = sandboxEmbedding(input, dimensions);
      return { object: "embedding", index, embedding: base64 ? toBase64(vector) : toFloats(vector) };
    });
    return upstreamJson(call, 200, { object: "list", data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  },
};

/** Nine significant digits: always enough to give back each float32 exactly. */
const toFloats = (vector: Float32Array) => Array.from(vector, (value) => Number(value.toPrecision(9)));

const invalidBody = (message: string, param: string | null) => ({ error: { message, type: "invalid_request_error", param, code: null } });

interface StreamOptions {
  delayMs: number;
  errorAfter: number | undefined;
  signal: AbortSignal;
  discarded: AbortSignal;
}

async function* streamBody(steps: StreamStep[], options: StreamOptions): AsyncGenerator<Uint8Array> {
  const { delayMs, errorAfter, signal, discarded } = options;
  let contentSent = 0;
  for (const step of steps) {
    if (step.pause && delayMs > 0 && !(await wait(delayMs, signal, discarded))) break;
    if (signal.aborted || discarded.aborted) break;
    // A reply with N or fewer content chunks still fails: the finish chunk never arrives.
    const dropNow = step.kind === "content" ? contentSent >= (errorAfter ?? Infinity) : step.kind !== "role" && errorAfter !== undefined;
    if (dropNow) {
      throw new Error(`Simulated upstream disconnect after ${contentSent} content chunks ([sandbox:error_after=${errorAfter}])`);
    }
    yield sseEvent(JSON.stringify(step.chunk));
    if (step.kind === "content") contentSent++;
  }
  if (discarded.aborted) return;
  if (signal.aborted) throw abortReason(signal);
  yield sseEvent(SSE_DONE);
}

function upstreamJson(call: { signal: AbortSignal; requestId: string }, status: number, body: unknown, extraHeaders: Record<string, string> = {}): UpstreamResponse {
  const discarded = new AbortController();
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  async function* once(): AsyncGenerator<Uint8Array> {
    if (discarded.signal.aborted) return;
    if (call.signal.aborted) throw abortReason(call.signal);
    yield bytes;
  }
  return {
    status,
    headers: { "content-type": "application/json", "x-request-id": call.requestId, ...extraHeaders },
    body: once(),
    discard: () => discarded.abort(),
  };
}

/** Resolves true after `ms`, or false as soon as any signal aborts; never leaves a timer behind. */
function wait(ms: number, ...signals: AbortSignal[]): Promise<boolean> {
  if (signals.some((s) => s.aborted)) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener("abort", onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    for (const s of signals) s.addEventListener("abort", onAbort, { once: true });
  });
}

function channelDelay(call: ChatCompletionCall): number | undefined {
  const value = call.channel.config?.streamDelayMs;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.min(value, MAX_DELAY_MS) : undefined;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError");
}

function connectionError(signal: AbortSignal): UpstreamConnectionError {
  const timedOut = signal.reason instanceof Error && signal.reason.name === "TimeoutError";
  return new UpstreamConnectionError(timedOut ? "The sandbox channel timed out" : "The request was aborted", timedOut ? "timeout" : "aborted");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** OpenAI-looking alphanumeric ids, stable for a given request id. */
function digest(seed: string, length: number): string {
  const bytes = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length] % ALPHABET.length];
  return out;
}
