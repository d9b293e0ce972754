import { randomBytes } from "node:crypto";
import type { Price, TokenUsage } from "../../billing/pricing";
import { normalizeInput, responsesRequestSchema, type ResponsesRequest } from "../../schemas/responses";
import { authenticate } from "../authenticate";
import { upstreamModel, type RoutedChannel } from "../catalog";
import { getGateway, type Gateway } from "../context";
import { GatewayError, invalidRequest, notFound, upstreamUnavailable } from "../errors";
import { gatewayJson, type GatewayRequest, type GatewayResponse } from "../http";
import type { Metered } from "../meter";
import { getProvider } from "../providers";
import type { Provider, UpstreamResponse } from "../providers/types";
import { readAnswer, relay, type RelayResult } from "../relay";
import { orderChannels } from "../routing";
import { newRequestId, RequestContext } from "../request-context";
import { ChatStreamTranslator, toSse } from "../responses/translate-stream";
import { fromChatCompletion } from "../responses/translate-response";
import { responseSkeleton } from "../responses/response-object";
import { toChatRequest } from "../responses/translate-request";
import { Untranslatable } from "../translate/hub";
import { conversationBefore } from "../responses/store";
import { settleFailure, settleRequest, upstreamErrorResponse } from "../settle-request";
import { tenantJson, tenantSseEvent, tenantText } from "../tenant-text";
import { SseSplitter, sseData, SSE_DONE } from "../sse";
import { failedRequest, openModelRequest, promptTokensUpperBound, reserve } from "../steps";
import { withCleanup } from "../stream-cleanup";
import { connectionClosedOutcome } from "../shutdown";
import { countTokens } from "../tokens";

/**
 * POST /v1/responses — OpenAI's stateful interface on every channel. We own the state: a
 * `previous_response_id` chain is rebuilt from our store and sent as input, so a conversation may
 * move between channels. Channels flagged as speaking the Responses API get the request forwarded
 * (upstream `store: false`); all others get a Chat Completions request, translated back.
 */
type ResponseJson = Record<string, unknown> & { id: string; output: unknown[]; usage?: unknown; status?: string };

interface Turn {
  ctx: RequestContext;
  gw: Gateway;
  request: ResponsesRequest;
  body: Record<string, unknown>;
  /** This turn's input, normalized: what is stored and listed by input_items. */
  input: unknown[];
  /** The whole conversation sent upstream: earlier turns, then this input. */
  items: unknown[];
  price: Price;
  store: boolean;
}

const isNative = (channel: RoutedChannel, provider: Provider | undefined) => channel.supportsResponses && !!provider?.responses;

export async function createResponse(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  const ctx = new RequestContext("/v1/responses");
  try {
    const { caller, bytes, body, request, channels, price } = await openModelRequest(req, gw, ctx, responsesRequestSchema);
    if (body.background === true) throw invalidRequest("Background responses are not supported by this server.", "background", "unsupported_parameter");

    const input = normalizeInput(request.input) as unknown[];
    let history: unknown[] = [];
    if (request.previous_response_id) {
      const earlier = await conversationBefore(gw.store(), caller.userId, request.previous_response_id);
      if (!earlier) throw notFound(`Previous response with id '${request.previous_response_id}' not found.`);
      history = earlier;
    }
    const turn: Turn = { ctx, gw, request, body, input, items: [...history, ...input], price, store: request.store !== false };

    const { channels: usable, chatTemplate } = planChannels(turn, orderChannels(channels));
    const prompt = promptTokensUpperBound(bytes.length + (history.length ? Buffer.byteLength(JSON.stringify(history)) : 0), body, history);
    await reserve(gw, ctx, caller, price, { prompt, output: request.max_output_tokens ?? gw.config.defaultMaxOutputTokens });

    let nativeUsed = false;
    const result = await relay({
      channels: usable,
      maxAttempts: gw.config.maxAttempts,
      provider: getProvider,
      health: gw.health,
      signal: req.signal,
      detached: !ctx.stream,
      send(provider, channel, signal) {
        ctx.attempts++;
        ctx.channelId = channel.id;
        ctx.upstreamModel = upstreamModel(channel, request.model);
        nativeUsed = isNative(channel, provider);
        if (nativeUsed) {
          return provider.responses!({ channel, body: nativeBody(turn, ctx.upstreamModel), stream: ctx.stream, signal, requestId: ctx.id });
        }
        return provider.chatCompletions({ channel, body: { ...chatTemplate!, model: ctx.upstreamModel }, stream: ctx.stream, signal, requestId: ctx.id });
      },
    });

    const { response } = result;
    if (response.status >= 300) return upstreamErrorResponse(ctx, gw, price, response, await readAnswer(result, gw.health, req.signal));
    if (ctx.stream) return nativeUsed ? nativeStream(turn, response, req.signal) : translatedStream(turn, response, req.signal);
    const answer = await readJsonAnswer(result, gw, req.signal);
    return nativeUsed ? await nativeComplete(turn, answer) : await translatedComplete(turn, answer);
  } catch (error) {
    const { response, error: gatewayError } = failedRequest(error, ctx.id);
    settleFailure(ctx, gw, gatewayError);
    return response;
  }
}

/**
 * Translates the request for chat-only channels once, up front: a request they cannot carry (hosted
 * tools) is a 400 when no native channel could take it, and otherwise leaves them out of the plan.
 */
function planChannels(turn: Turn, ordered: RoutedChannel[]): { channels: RoutedChannel[]; chatTemplate: Record<string, unknown> | null } {
  const native = ordered.filter((c) => isNative(c, getProvider(c.type)));
  if (native.length === ordered.length) return { channels: ordered, chatTemplate: null };
  try {
    return { channels: ordered, chatTemplate: toChatRequest(turn.request, turn.items as never, { model: turn.request.model, stream: turn.ctx.stream }) };
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    if (!native.length) throw invalidRequest(`${error.message} (the channel serving model '${turn.request.model}' only speaks Chat Completions).`, error.param ?? "tools", "unsupported_tool");
    return { channels: native, chatTemplate: null };
  }
}

/** Our state expanded into `input`; the upstream keeps nothing (store: false) and knows no previous id. */
function nativeBody(turn: Turn, model: string): Record<string, unknown> {
  const { previous_response_id: _previous, ...rest } = turn.body;
  return { ...rest, model, input: turn.items, store: false };
}

/** What the client sees echoed: its own previous_response_id and store, whatever the upstream said. */
function echoRequest(turn: Turn, response: ResponseJson): ResponseJson {
  return { ...response, previous_response_id: turn.request.previous_response_id ?? null, store: turn.store };
}

/** A count an upstream sent as a whole non-negative number, else 0 (it is written into the log). */
const tokenCount = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

function usageOf(response: ResponseJson): TokenUsage | null {
  const usage = response.usage as
    | {
        input_tokens?: number;
        output_tokens?: number;
        // cache_write_tokens (and its 1-hour part) are the hub's extensions, kept when a chat answer is translated.
        input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; cache_write_1h_tokens?: number };
        output_tokens_details?: { reasoning_tokens?: number };
      }
    | null
    | undefined;
  if (!usage || typeof usage.input_tokens !== "number") return null;
  return {
    promptTokens: usage.input_tokens,
    completionTokens: usage.output_tokens ?? 0,
    cachedTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: tokenCount(usage.input_tokens_details?.cache_write_tokens),
    cacheWrite1hTokens: tokenCount(usage.input_tokens_details?.cache_write_1h_tokens),
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** Usage from the response, or counted with the tokenizer (estimated). */
function meter(turn: Turn, response: ResponseJson): Metered {
  const usage = usageOf(response);
  if (usage) return { usage, estimated: false };
  const prompt = countTokens(JSON.stringify(turn.items)) + countTokens(turn.request.instructions ?? "");
  const completion = countTokens(JSON.stringify(response.output ?? []));
  return { usage: { promptTokens: prompt, completionTokens: completion, cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
}

/**
 * Stores the turn (unless store: false) and settles it. Settled whatever storing does — the
 * upstream answered and charged — with the storing failure logged as the request's outcome and
 * returned for the client to hear. Settles last, so a throw here means nothing was settled yet.
 */
async function finishTurn(turn: Turn, response: ResponseJson, status: number): Promise<GatewayError | null> {
  const { ctx, gw } = turn;
  let failure: GatewayError | null = null;
  if (turn.store && ctx.caller) {
    try {
      await saveTurn(turn, response);
    } catch (error) {
      console.error(`Request ${ctx.id}: storing response ${response.id} failed:`, error);
      failure = new GatewayError(500, "The response was generated (and billed) but could not be stored, so it cannot be retrieved or continued.", "server_error", "response_not_stored");
    }
  }
  settleRequest(ctx, gw, turn.price, failure?.status ?? status, meter(turn, response), failure ? { code: failure.code!, message: failure.message } : undefined);
  return failure;
}

async function saveTurn(turn: Turn, response: ResponseJson): Promise<void> {
  const { ctx, gw } = turn;
  if (ctx.caller) {
    await gw.store().saveStoredTurn({
      id: response.id,
      userId: ctx.caller.userId,
      apiKeyId: ctx.caller.keyId,
      model: turn.request.model,
      previousResponseId: turn.request.previous_response_id ?? null,
      instructions: turn.request.instructions ?? null,
      input: turn.input,
      output: response.output ?? [],
      response,
      status: String(response.status ?? "completed"),
    });
  }
}

function newResponseId(): string {
  return `resp_${randomBytes(24).toString("hex")}`;
}

function skeletonFor(turn: Turn) {
  return responseSkeleton(turn.request, { id: newResponseId(), model: turn.request.model, createdAt: Math.floor(Date.now() / 1000), status: "in_progress" });
}

/** A non-stream answer as JSON; one that is not JSON is the upstream's failure (502), like one cut short. */
async function readJsonAnswer(result: RelayResult, gw: Gateway, clientSignal: AbortSignal): Promise<unknown> {
  const bytes = await readAnswer(result, gw.health, clientSignal);
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    gw.health.failed(result.channel.id, "Answer is not valid JSON");
    throw upstreamUnavailable("The upstream's answer was not valid JSON.", 502);
  }
}

async function translatedComplete(turn: Turn, completion: unknown): Promise<GatewayResponse> {
  turn.ctx.markFirstByte();
  return completeTurn(turn, fromChatCompletion(completion as never, skeletonFor(turn)) as unknown as ResponseJson);
}

async function nativeComplete(turn: Turn, answer: unknown): Promise<GatewayResponse> {
  turn.ctx.markFirstByte();
  return completeTurn(turn, echoRequest(turn, answer as ResponseJson));
}

async function completeTurn(turn: Turn, response: ResponseJson): Promise<GatewayResponse> {
  const failure = await finishTurn(turn, response, 200);
  if (failure) return failedRequest(failure, turn.ctx.id).response;
  return gatewayJson(200, response, { "x-request-id": turn.ctx.id });
}

/** A stream's terminal `error` event (what the SDKs raise as an APIError). */
function errorEvent(code: string, message: string): Uint8Array {
  return Buffer.from(`event: error\ndata: ${JSON.stringify({ type: "error", code, message, param: null, sequence_number: 0 })}\n\n`);
}

const SSE_HEADERS = (requestId: string) => ({ "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no", "x-request-id": requestId });

/** Shared end of a streamed turn: settle exactly once, whichever way the stream ended. */
function streamFinisher(turn: Turn, upstream: UpstreamResponse, clientSignal: AbortSignal) {
  let finished = false;
  return (final: ResponseJson | null, partial: () => ResponseJson) => {
    if (finished) return;
    finished = true;
    upstream.discard();
    if (final) return; // completed turns were settled (and stored) before their last event went out
    const outcome = clientSignal.aborted ? connectionClosedOutcome() : { status: 502, code: "upstream_stream_error", message: "The upstream stream ended early." };
    settleRequest(turn.ctx, turn.gw, turn.price, outcome.status, meter(turn, partial()), outcome);
  };
}

function translatedStream(turn: Turn, upstream: UpstreamResponse, clientSignal: AbortSignal): GatewayResponse {
  const translator = new ChatStreamTranslator(skeletonFor(turn));
  let final: ResponseJson | null = null;
  const finish = streamFinisher(turn, upstream, clientSignal);
  const partial = () => translator.finalResponse() as unknown as ResponseJson;
  const encode = (events: unknown[]) => Buffer.from(events.map((e) => toSse(e as never)).join(""));

  async function* events(): AsyncGenerator<Uint8Array> {
    try {
      turn.ctx.markFirstByte();
      yield encode(translator.start());
      const splitter = new SseSplitter();
      let done = false;
      for await (const chunk of upstream.body) {
        const out: unknown[] = [];
        for (const event of splitter.push(chunk)) {
          const data = sseData(event);
          if (data === null) continue;
          if (data === SSE_DONE) {
            done = true;
            continue;
          }
          const parsed = JSON.parse(data) as { error?: { message?: string } };
          if (parsed.error) throw new Error(parsed.error.message ?? "upstream error");
          out.push(...translator.push(parsed));
        }
        if (out.length) yield encode(out);
      }
      if (!done) throw new Error("The upstream ended the stream without [DONE].");
      const closing = translator.finish();
      const response = translator.finalResponse() as unknown as ResponseJson;
      // Stored and settled before the client hears "completed", so it can continue the conversation at once.
      const failure = await finishTurn(turn, response, 200);
      final = response;
      yield failure ? errorEvent(failure.code!, failure.message) : encode(closing);
    } catch (error) {
      if (!clientSignal.aborted && !final) yield encode(translator.fail(`The upstream stream failed: ${tenantText((error as Error).message)}`));
    } finally {
      finish(final, partial);
    }
  }
  return { status: 200, headers: SSE_HEADERS(turn.ctx.id), body: withCleanup(events(), () => finish(final, partial)) };
}

const SNAPSHOT_EVENTS = new Set(["response.created", "response.in_progress", "response.completed", "response.incomplete", "response.failed"]);
const FINAL_EVENTS = new Set(["response.completed", "response.incomplete", "response.failed"]);

function nativeStream(turn: Turn, upstream: UpstreamResponse, clientSignal: AbortSignal): GatewayResponse {
  let final: ResponseJson | null = null;
  let latest: ResponseJson = { id: newResponseId(), output: [] };
  const finish = streamFinisher(turn, upstream, clientSignal);
  const encoder = new TextEncoder();

  async function* events(): AsyncGenerator<Uint8Array> {
    try {
      const splitter = new SseSplitter();
      for await (const chunk of upstream.body) {
        const out: Uint8Array[] = [];
        for (const event of splitter.push(chunk)) {
          const data = sseData(event);
          const parsed = data && data !== SSE_DONE ? (JSON.parse(data) as { type?: string; response?: ResponseJson }) : null;
          if (!parsed?.type || !SNAPSHOT_EVENTS.has(parsed.type) || !parsed.response) {
            out.push(tenantSseEvent(event));
            continue;
          }
          // Snapshots carry the request's echo: make them show the client's own previous id and store flag.
          latest = echoRequest(turn, parsed.response);
          // A failed response carries the upstream's error text.
          if (parsed.type === "response.failed" && latest.error) latest = { ...latest, error: tenantJson(latest.error) };
          const rewritten = encoder.encode(`event: ${parsed.type}\ndata: ${JSON.stringify({ ...parsed, response: latest })}\n\n`);
          if (FINAL_EVENTS.has(parsed.type)) {
            if (out.length) yield Buffer.concat(out.splice(0));
            const failure = await finishTurn(turn, latest, parsed.type === "response.failed" ? 502 : 200);
            final = latest;
            if (failure) {
              out.push(errorEvent(failure.code!, failure.message));
              continue;
            }
          }
          out.push(rewritten);
        }
        if (out.length) {
          turn.ctx.markFirstByte();
          yield out.length === 1 ? out[0]! : Buffer.concat(out);
        }
      }
      if (!final) throw new Error("The upstream ended the stream without a final event.");
    } catch (error) {
      if (!clientSignal.aborted && !final) yield errorEvent("upstream_stream_error", `The upstream stream failed: ${tenantText((error as Error).message)}`);
    } finally {
      finish(final, () => latest);
    }
  }
  return { status: 200, headers: SSE_HEADERS(turn.ctx.id), body: withCleanup(events(), () => finish(final, () => latest)) };
}

// --- retrieve, delete, input items ----------------------------------------------------------

async function ownedResponse(req: GatewayRequest, gw: Gateway, id: string) {
  const caller = await authenticate(gw.store(), req.header("authorization"));
  const row = await gw.store().findStoredTurn(caller.userId, id);
  if (!row) throw notFound(`Response with id '${id}' not found.`);
  return { caller, row };
}

export async function retrieveResponse(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const { row } = await ownedResponse(req, gw, id);
    return gatewayJson(200, row.response);
  } catch (error) {
    return failedRequest(error, newRequestId()).response;
  }
}

export async function deleteResponse(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const caller = await authenticate(gw.store(), req.header("authorization"));
    if (!(await gw.store().deleteStoredTurn(caller.userId, id))) throw notFound(`Response with id '${id}' not found.`);
    return gatewayJson(200, { id, object: "response", deleted: true });
  } catch (error) {
    return failedRequest(error, newRequestId()).response;
  }
}

export async function listInputItems(req: GatewayRequest, id: string, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  try {
    const { row } = await ownedResponse(req, gw, id);
    const limitParam = req.query.get("limit");
    const limit = limitParam === null ? 20 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest("limit must be between 1 and 100", "limit");
    const order = req.query.get("order") ?? "desc";
    if (order !== "asc" && order !== "desc") throw invalidRequest("order must be 'asc' or 'desc'", "order");
    const all = (Array.isArray(row.input) ? (row.input as Array<{ id?: string }>) : []).slice();
    if (order === "desc") all.reverse();
    const after = req.query.get("after");
    const start = after ? all.findIndex((item) => item.id === after) + 1 : 0;
    if (after && start === 0) throw invalidRequest(`No input item with id '${after}' in this response.`, "after");
    const data = all.slice(start, start + limit);
    return gatewayJson(200, { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < all.length });
  } catch (error) {
    return failedRequest(error, newRequestId()).response;
  }
}

