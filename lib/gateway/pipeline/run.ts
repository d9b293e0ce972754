import type { Price } from "../../billing/pricing";
import { authenticateKey } from "./authenticate";
import { getCatalog, upstreamModel } from "../routing/catalog";
import { getGateway, type Gateway } from "../context";
import type { GatewayError } from "./errors";
import type { GatewayRequest, GatewayResponse } from "../http/types";
import { getProvider } from "../providers";
import { readAnswer, relay, type RelayResult } from "./relay";
import { RequestContext } from "./request-context";
import { orderChannels } from "../routing/order";
import { settleFailure, settleRequest } from "./settle";
import { connectionClosedOutcome } from "../http/shutdown";
import { SseSplitter } from "../http/sse";
import { failureOf, reserve, resolveModel } from "./steps";
import { withCleanup } from "../http/stream-cleanup";
import { tenantBytes, tenantText } from "../tenant/tenant-text";
import { parseJsonBody, validate } from "./validate";
import { streamStarted } from "../../observability/metrics";
import { startRequestSpan, traceAttempt } from "../../observability/tracing";
import type { Exchange, ModelRequest, Opened, Protocol, StreamTranslation } from "./protocol";

/**
 * The one story every model request follows, whatever protocol the client speaks:
 * open (authenticate → validate → resolve the model) → admit and hold the most it can cost →
 * relay (with failover) → respond (whole or streamed) → settle the exact cost, exactly once.
 */
export async function runPipeline<T extends ModelRequest>(protocol: Protocol<T>, req: GatewayRequest, gw: Gateway = getGateway()): Promise<GatewayResponse> {
  const ctx = new RequestContext(protocol.endpoint);
  ctx.span = startRequestSpan(protocol.endpoint, req);
  try {
    const opened = await open(protocol, req, gw, ctx);
    const exchange = await protocol.exchange(opened, ctx, gw);
    await reserve(gw, ctx, opened.caller, opened.price, exchange.bound);

    const result = await relay({
      channels: exchange.channels,
      maxAttempts: gw.config.maxAttempts,
      provider: getProvider,
      health: gw.health,
      signal: req.signal,
      detached: !ctx.stream,
      send(provider, channel, signal) {
        ctx.attempts++;
        ctx.channelId = channel.id;
        const model = (ctx.upstreamModel = upstreamModel(channel, opened.request.model));
        return traceAttempt(ctx.span, channel, model, () => exchange.send(provider, channel, model, signal));
      },
    });

    const answered =
      result.response.status >= 300
        ? await refused(ctx, gw, opened.price, exchange, result, req.signal)
        : ctx.stream
          ? streamed(ctx, gw, opened.price, exchange, result, req.signal)
          : await completed(ctx, gw, opened.price, exchange, result, req.signal, protocol);
    if (protocol.requestIdHeader) answered.headers[protocol.requestIdHeader] = ctx.id;
    return answered;
  } catch (error) {
    const failure = failureOf(error, ctx.id);
    settleFailure(ctx, gw, failure);
    return protocol.errorResponse(failure, ctx.id);
  }
}

/** Authenticate → read and validate the body → resolve the model; the context learns as it goes, so a failure is logged with what was known. */
async function open<T extends ModelRequest>(protocol: Protocol<T>, req: GatewayRequest, gw: Gateway, ctx: RequestContext): Promise<Opened<T>> {
  const store = gw.store();
  const caller = (ctx.caller = await authenticateKey(store, protocol.apiKey(req), protocol.missingKeyMessage));
  const bytes = await req.readBody(gw.config.maxBodyBytes);
  const body = await parseJsonBody(bytes);
  const request = validate(protocol.schema, body);
  ctx.model = request.model;
  ctx.stream = request.stream === true;
  const { channels, price } = resolveModel(await getCatalog(store), caller, request.model);
  return { req, caller, bytes, body, request, channels: orderChannels(channels), price };
}

const jsonHeaders = (ctx: RequestContext, extra: Record<string, string> = {}) => ({ "content-type": "application/json", "x-request-id": ctx.id, ...extra });

/** An upstream 4xx caused by the request: relayed in the client's protocol, logged, not charged. */
async function refused(ctx: RequestContext, gw: Gateway, price: Price, exchange: Exchange, result: RelayResult, clientSignal: AbortSignal): Promise<GatewayResponse> {
  const { response } = result;
  const relayed = exchange.upstreamError(response.status, tenantBytes(await readAnswer(result, gw.health, clientSignal)));
  ctx.markFirstByte();
  void settleRequest(ctx, gw, price, response.status, null, { code: relayed.code, message: relayed.message });
  const retryAfter = response.headers["retry-after"];
  return { status: response.status, headers: jsonHeaders(ctx, retryAfter ? { "retry-after": retryAfter } : {}), body: relayed.body };
}

/**
 * A whole answer: read, metered, settled, returned once its settlement is committed. A client that
 * left meanwhile is still billed: the upstream charged for the whole answer.
 */
async function completed<T extends ModelRequest>(
  ctx: RequestContext,
  gw: Gateway,
  price: Price,
  exchange: Exchange,
  result: RelayResult,
  clientSignal: AbortSignal,
  protocol: Protocol<T>,
): Promise<GatewayResponse> {
  const bytes = await readAnswer(result, gw.health, clientSignal);
  ctx.markFirstByte();
  let json: unknown;
  try {
    // A view, not a copy (Buffer.from(view) would copy the whole answer).
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    json = undefined;
  }
  const answer = exchange.answer(bytes, json);
  const failure = exchange.completed ? await exchange.completed(answer.value) : null;
  // Nobody waits for the settlement of an answer its client left.
  let settled: Promise<void> | undefined;
  if (clientSignal.aborted) {
    const closed = connectionClosedOutcome();
    void settleRequest(ctx, gw, price, closed.status, answer.metered, { code: closed.code, message: `${closed.message} The answer arrived and was billed.` });
  } else settled = settleRequest(ctx, gw, price, failure?.status ?? result.response.status, answer.metered, failure ? errorNote(failure) : undefined);
  if (failure) return protocol.errorResponse(failure, ctx.id);
  await settled;
  return { status: result.response.status, headers: jsonHeaders(ctx, { "content-type": answer.contentType ?? "application/json" }), body: answer.body };
}

const errorNote = (error: GatewayError) => ({ code: error.code ?? error.type, message: error.message });

const concat = (parts: Uint8Array[]) => (parts.length === 1 ? parts[0]! : Buffer.concat(parts));

/**
 * An event stream: events go out as they arrive; the answer is settled once, however the stream
 * ends — completed (before its final event goes out), cut by the upstream, or left by the client
 * (even before the first event was pulled).
 */
function streamed(ctx: RequestContext, gw: Gateway, price: Price, exchange: Exchange, result: RelayResult, clientSignal: AbortSignal): GatewayResponse {
  const { response } = result;
  const translation = exchange.stream();
  let settled = false;
  let interrupted: string | null = null;
  const streamEnded = streamStarted();
  const settle = async (status: number, error?: { code: string; message: string }) => {
    if (settled) return;
    settled = true;
    await settleRequest(ctx, gw, price, status, translation.metered(), error);
  };
  const finish = () => {
    streamEnded();
    response.discard();
    if (settled) return;
    if (clientSignal.aborted) void settle(...closedSettlement());
    else void settle(502, { code: "upstream_stream_error", message: interrupted ?? "The upstream stream ended early." });
  };

  /**
   * Settles the completed answer and gives what closes the stream — its final events, or the
   * failure that replaced them — once the settlement is committed.
   */
  async function close(t: StreamTranslation): Promise<Uint8Array[]> {
    const failure = exchange.completed ? await exchange.completed(t.value?.()) : null;
    await settle(failure?.status ?? t.status ?? 200, failure ? errorNote(failure) : undefined);
    return failure ? t.fail(failure.message, failure.code ?? failure.type) : t.close();
  }

  async function* events(): AsyncGenerator<Uint8Array> {
    try {
      const opening = translation.start?.() ?? [];
      if (opening.length) {
        ctx.markFirstByte();
        yield concat(opening);
      }
      const splitter = new SseSplitter();
      const take = async function* (events: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
        const out: Uint8Array[] = [];
        for (const event of events) {
          if (translation.complete) break;
          out.push(...translation.push(event));
          if (!translation.complete) continue;
          if (out.length) {
            ctx.markFirstByte();
            yield concat(out.splice(0));
          }
          out.push(...(await close(translation)));
        }
        if (out.length) {
          ctx.markFirstByte();
          yield concat(out);
        }
      };
      for await (const chunk of response.body) {
        yield* take(splitter.push(chunk));
        if (translation.complete) break;
      }
      const rest = splitter.flush();
      if (rest && !translation.complete) yield* take([rest]);
      if (!translation.complete) {
        interrupted = "The upstream ended the stream before its end.";
        yield concat(translation.fail(interrupted, "upstream_stream_error"));
      }
    } catch (error) {
      if (!clientSignal.aborted && !settled) {
        interrupted = `The upstream stream failed: ${tenantText((error as Error).message)}`;
        yield concat(translation.fail(interrupted, "upstream_stream_error"));
      }
    } finally {
      finish();
    }
  }
  return {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no", "x-request-id": ctx.id },
    body: withCleanup(events(), finish),
  };
}

function closedSettlement(): [number, { code: string; message: string }] {
  const closed = connectionClosedOutcome();
  return [closed.status, { code: closed.code, message: closed.message }];
}
