import { randomBytes } from "node:crypto";
import type { TokenUsage } from "../../../billing/pricing";
import { normalizeInput, responsesRequestSchema, type ResponsesRequest } from "../../../schemas/responses";
import { bearerToken, MISSING_BEARER_KEY } from "../../pipeline/authenticate";
import type { Gateway } from "../../context";
import { GatewayError, invalidRequest, notFound, upstreamUnavailable } from "../../pipeline/errors";
import type { Metered } from "../../pipeline/meter";
import type { Exchange, Opened, Protocol } from "../../pipeline/protocol";
import { planRoutes } from "../../pipeline/routes";
import type { RequestContext } from "../../pipeline/request-context";
import { responseSkeleton } from "../../translate/responses/response-object";
import { conversationBefore } from "../../store/conversations";
import { toChatRequest } from "../../translate/responses/responses-to-chat";
import { fromChatCompletion } from "../../translate/responses/chat-to-response";
import { promptTokensUpperBound } from "../../pipeline/steps";
import { countTokens } from "../../pipeline/tokens";
import { relayedError } from "../../http/upstream-body";
import { openAIErrorResponse } from "../openai-errors";
import { ChatToResponseEvents, ResponseEventRelay } from "./streams";
import { logger } from "../../../observability/log";

/**
 * POST /v1/responses — OpenAI's stateful interface on every channel. We own the state: a
 * `previous_response_id` chain is rebuilt from our store and sent as input, so a conversation may
 * move between channels. Channels flagged as speaking the Responses API get the request forwarded
 * (upstream `store: false`); all others get it through the hub, translated back.
 */
export type ResponseJson = Record<string, unknown> & { id: string; output: unknown[]; usage?: unknown; status?: string; error?: unknown };

/** One turn of a conversation: what is stored, what goes upstream, and how its answer is read. */
export interface Turn {
  ctx: RequestContext;
  gw: Gateway;
  request: ResponsesRequest;
  body: Record<string, unknown>;
  /** This turn's input, normalized: what is stored and listed by input_items. */
  input: unknown[];
  /** The whole conversation sent upstream: earlier turns, then this input. */
  items: unknown[];
  store: boolean;
}

export const responsesProtocol: Protocol<ResponsesRequest> = {
  endpoint: "/v1/responses",
  schema: responsesRequestSchema,
  apiKey: (req) => bearerToken(req.header("authorization")),
  missingKeyMessage: MISSING_BEARER_KEY,
  errorResponse: openAIErrorResponse,
  exchange: responseExchange,
};

async function responseExchange(opened: Opened<ResponsesRequest>, ctx: RequestContext, gw: Gateway): Promise<Exchange> {
  const { caller, bytes, body, request } = opened;
  if (body.background === true) throw invalidRequest("Background responses are not supported by this server.", "background", "unsupported_parameter");
  const input = normalizeInput(request.input) as unknown[];
  let history: unknown[] = [];
  if (request.previous_response_id) {
    const earlier = await conversationBefore(gw.store(), caller.userId, request.previous_response_id);
    if (!earlier) throw notFound(`Previous response with id '${request.previous_response_id}' not found.`);
    history = earlier;
  }
  const turn: Turn = { ctx, gw, request, body, input, items: [...history, ...input], store: request.store !== false };
  const plan = planRoutes(
    opened.channels,
    (provider, channel) => channel.supportsResponses && !!provider?.responses,
    () => toChatRequest(request, turn.items as never, { model: request.model, stream: ctx.stream }),
    (error) => invalidRequest(`${error.message} (the channel serving model '${request.model}' only speaks Chat Completions).`, error.param ?? "tools", "unsupported_tool"),
  );
  const prompt = promptTokensUpperBound(bytes.length + (history.length ? Buffer.byteLength(JSON.stringify(history)) : 0), body, history);

  let native = false;
  let channelId = "";
  return {
    bound: { prompt, output: request.max_output_tokens ?? gw.config.defaultMaxOutputTokens },
    channels: plan.channels,
    send(provider, channel, model, signal) {
      channelId = channel.id;
      native = channel.supportsResponses && !!provider.responses;
      if (native) return provider.responses!({ channel, body: nativeBody(turn, model), stream: ctx.stream, signal, requestId: ctx.id });
      return provider.chatCompletions({ channel, body: { ...plan.hub!, model }, stream: ctx.stream, signal, requestId: ctx.id, translated: true });
    },
    upstreamError: relayedError,
    answer(_bytes, json) {
      // One that is not JSON is the upstream's failure (502), like one cut short.
      if (json === undefined) {
        gw.health.failed(channelId, "Answer is not valid JSON");
        throw upstreamUnavailable("The upstream's answer was not valid JSON.", 502);
      }
      const response = native ? echoRequest(turn, json as ResponseJson) : (fromChatCompletion(json as never, skeletonFor(turn)) as unknown as ResponseJson);
      return { body: JSON.stringify(response), metered: meterTurn(turn, response), value: response };
    },
    stream: () => (native ? new ResponseEventRelay(turn, newResponseId()) : new ChatToResponseEvents(turn, skeletonFor(turn))),
    completed: (response) => saveTurn(turn, response as ResponseJson),
  };
}

/** Our state expanded into `input`; the upstream keeps nothing (store: false) and knows no previous id. */
function nativeBody(turn: Turn, model: string): Record<string, unknown> {
  const { previous_response_id: _previous, ...rest } = turn.body;
  return { ...rest, model, input: turn.items, store: false };
}

/** What the client sees echoed: its own previous_response_id and store, whatever the upstream said. */
export function echoRequest(turn: Turn, response: ResponseJson): ResponseJson {
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
export function meterTurn(turn: Turn, response: ResponseJson): Metered {
  const usage = usageOf(response);
  if (usage) return { usage, estimated: false };
  const prompt = countTokens(JSON.stringify(turn.items)) + countTokens(turn.request.instructions ?? "");
  const completion = countTokens(JSON.stringify(response.output ?? []));
  return { usage: { promptTokens: prompt, completionTokens: completion, cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
}

/**
 * Stores the turn (unless store: false). The upstream answered and charged whatever storing does:
 * a storing failure is what the request ends with, billed all the same.
 */
async function saveTurn(turn: Turn, response: ResponseJson): Promise<GatewayError | null> {
  const { ctx, gw } = turn;
  if (!turn.store || !ctx.caller) return null;
  try {
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
    return null;
  } catch (error) {
    logger("gateway").error({ event: "response.store_failed", requestId: ctx.id, responseId: response.id, err: error }, "Storing a response failed");
    return new GatewayError(500, "The response was generated (and billed) but could not be stored, so it cannot be retrieved or continued.", "server_error", "response_not_stored");
  }
}

export function newResponseId(): string {
  return `resp_${randomBytes(24).toString("hex")}`;
}

function skeletonFor(turn: Turn) {
  return responseSkeleton(turn.request, { id: newResponseId(), model: turn.request.model, createdAt: Math.floor(Date.now() / 1000), status: "in_progress" });
}
