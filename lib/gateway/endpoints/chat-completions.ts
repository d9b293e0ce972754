import type { Price } from "../../billing/pricing";
import { chatCompletionRequestSchema } from "../../schemas/chat-completions";
import { upstreamModel } from "../catalog";
import { getGateway, type Gateway } from "../context";
import type { GatewayRequest, GatewayResponse } from "../http";
import { estimatePromptTokens, meterCompletion, StreamMeter } from "../meter";
import { getProvider } from "../providers";
import { readAnswer, relay, type RelayResult } from "../relay";
import { RequestContext } from "../request-context";
import { orderChannels } from "../routing";
import { SseSplitter, sseEvent } from "../sse";
import { failedRequest, openModelRequest, promptTokensUpperBound, reserve } from "../steps";
import { withCleanup } from "../stream-cleanup";
import { connectionClosedOutcome } from "../shutdown";
import { settleFailure, settleRequest, upstreamErrorResponse } from "../settle-request";
import { tenantSseEvent, tenantText } from "../tenant-text";

/**
 * POST /v1/chat/completions — the story of one request:
 * authenticate → validate → resolve the model → rate limits → hold the most it can cost →
 * relay (with failover) → meter the tokens → settle the exact cost and log.
 */
export async function chatCompletions(req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  const ctx = new RequestContext("/v1/chat/completions");
  try {
    const { caller, bytes, body, request: chat, channels, price } = await openModelRequest(req, gw, ctx, chatCompletionRequestSchema);
    const maxOutput = (chat.max_completion_tokens ?? chat.max_tokens ?? gw.config.defaultMaxOutputTokens) * (chat.n ?? 1);
    await reserve(gw, ctx, caller, price, { prompt: promptTokensUpperBound(bytes.length, chat.messages), output: maxOutput });

    const result = await relay({
      channels: orderChannels(channels),
      maxAttempts: gw.config.maxAttempts,
      provider: getProvider,
      health: gw.health,
      signal: req.signal,
      detached: !ctx.stream,
      send(provider, channel, signal) {
        ctx.attempts++;
        ctx.channelId = channel.id;
        ctx.upstreamModel = upstreamModel(channel, chat.model);
        // Unchanged (same model id, not a stream that needs usage asked for): the client's own bytes go up.
        const unchanged = ctx.upstreamModel === chat.model && !ctx.stream;
        return provider.chatCompletions({
          channel,
          body: unchanged ? body : upstreamBody(body, ctx.upstreamModel, ctx.stream),
          rawBody: unchanged ? bytes : undefined,
          stream: ctx.stream,
          signal,
          requestId: ctx.id,
        });
      },
    });

    const promptTokens = () => estimatePromptTokens(body);
    if (ctx.stream && result.response.status === 200) {
      return streamed(ctx, result, gw, price, chat.stream_options?.include_usage === true, promptTokens, req.signal);
    }
    return await completed(ctx, result, gw, price, promptTokens, req.signal);
  } catch (error) {
    const { response, error: gatewayError } = failedRequest(error, ctx.id);
    settleFailure(ctx, gw, gatewayError);
    return response;
  }
}

/** The client's body as sent, with the upstream's model name and (for streams) usage requested. */
function upstreamBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body, model };
  if (stream) out.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  return out;
}

/**
 * A whole JSON answer (or a relayed upstream 4xx): read, metered, returned as the upstream sent it.
 * A client that left meanwhile is still billed for it: the upstream charged for the whole answer.
 */
async function completed(ctx: RequestContext, result: RelayResult, gw: Gateway, price: Price, promptTokens: () => number, clientSignal: AbortSignal): Promise<GatewayResponse> {
  const { response } = result;
  const bytes = await readAnswer(result, gw.health, clientSignal);
  ctx.markFirstByte();
  const headers = { "content-type": response.headers["content-type"] ?? "application/json", "x-request-id": ctx.id };
  if (response.status >= 300) return upstreamErrorResponse(ctx, gw, price, response, bytes);
  let json: unknown = null;
  try {
    // A view, not a copy (Buffer.from(view) would copy the whole answer).
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    // Relayed as is; billed for the prompt only since nothing countable came back.
  }
  if (clientSignal.aborted) {
    const closed = connectionClosedOutcome();
    settleRequest(ctx, gw, price, closed.status, meterCompletion(json, promptTokens), { code: closed.code, message: `${closed.message} The answer arrived and was billed.` });
  } else {
    settleRequest(ctx, gw, price, response.status, meterCompletion(json, promptTokens));
  }
  return { status: response.status, headers, body: bytes };
}

/** An SSE answer: events go out as they arrive; metering and settlement happen when it ends, however it ends. */
function streamed(
  ctx: RequestContext,
  result: RelayResult,
  gw: Gateway,
  price: Price,
  clientWantsUsage: boolean,
  promptTokens: () => number,
  clientSignal: AbortSignal,
): GatewayResponse {
  const { response } = result;
  const meter = new StreamMeter(clientWantsUsage);
  let interrupted: string | null = null;
  let finished = false;
  // Runs once however the stream ends: completed, upstream failure, or the client leaving (even
  // before the first event was pulled).
  const finish = () => {
    if (finished) return;
    finished = true;
    response.discard();
    // Complete once [DONE] went out (SDKs often hang up right after it); otherwise the client left
    // (499) or the upstream broke off (logged as 502, although the client already got a 200).
    const metered = meter.result(promptTokens);
    if (meter.done) settleRequest(ctx, gw, price, 200, metered);
    else if (clientSignal.aborted) {
      const closed = connectionClosedOutcome();
      settleRequest(ctx, gw, price, closed.status, metered, closed);
    }
    else settleRequest(ctx, gw, price, 502, metered, { code: "upstream_stream_error", message: interrupted ?? "The upstream stream ended early." });
  };

  async function* events(): AsyncGenerator<Uint8Array> {
    const splitter = new SseSplitter();
    try {
      for await (const chunk of response.body) {
        const out = splitter.push(chunk).filter((event) => meter.accept(event)).map(tenantSseEvent);
        if (!out.length) continue;
        ctx.markFirstByte();
        yield out.length === 1 ? out[0]! : Buffer.concat(out);
      }
      const rest = splitter.flush();
      if (rest && meter.accept(rest)) yield rest;
      if (!meter.done) interrupted = "The upstream ended the stream without [DONE].";
    } catch (error) {
      if (!clientSignal.aborted) {
        interrupted = `The upstream stream failed: ${tenantText((error as Error).message)}`;
        yield sseEvent(JSON.stringify({ error: { message: interrupted, type: "server_error", param: null, code: "upstream_stream_error" } }));
      }
    } finally {
      finish();
    }
  }
  return {
    status: 200,
    headers: {
      "content-type": response.headers["content-type"] ?? "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-request-id": ctx.id,
    },
    body: withCleanup(events(), finish),
  };
}

