import { messagesRequestSchema, type MessagesRequest } from "../../../schemas/messages";
import { bearerToken } from "../../pipeline/authenticate";
import type { Gateway } from "../../context";
import { invalidRequest, upstreamUnavailable } from "../../pipeline/errors";
import type { GatewayRequest } from "../../http/types";
import { estimatePromptTokens, meterCompletion } from "../../pipeline/meter";
import type { Exchange, Opened, Protocol } from "../../pipeline/protocol";
import { planRoutes } from "../../pipeline/routes";
import type { RequestContext } from "../../pipeline/request-context";
import { promptTokensUpperBound } from "../../pipeline/steps";
import { chatToMessage } from "../../translate/anthropic/chat-to-message";
import { messagesToChat } from "../../translate/anthropic/messages-to-chat";
import { anthropicErrorResponse, anthropicRelayedError } from "./errors";
import { ChatToMessageEvents, MessageEventRelay } from "./streams";
import { meterMessage } from "./usage";

/** Claude Code sends `x-api-key` (ANTHROPIC_API_KEY) or a bearer token (ANTHROPIC_AUTH_TOKEN). */
export function anthropicApiKey(req: GatewayRequest): string | null {
  return req.header("x-api-key")?.trim() || bearerToken(req.header("authorization"));
}

export const MISSING_ANTHROPIC_KEY = "You didn't provide an API key. Send it in the x-api-key header (or as Authorization: Bearer YOUR_KEY).";

/** The client's Anthropic headers, forwarded to channels that speak Messages natively. */
export function anthropicHeaders(req: GatewayRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ["anthropic-version", "anthropic-beta"]) {
    const value = req.header(name);
    if (value) headers[name] = value;
  }
  return headers;
}

/**
 * POST /v1/messages — Anthropic's Messages API. Channels whose provider speaks it get the client's
 * body (model mapped) and headers, and the answer's bytes come back unchanged; every other channel
 * gets it through the hub (Chat Completions), translated both ways.
 */
export const messagesProtocol: Protocol<MessagesRequest> = {
  endpoint: "/v1/messages",
  schema: messagesRequestSchema,
  apiKey: anthropicApiKey,
  missingKeyMessage: MISSING_ANTHROPIC_KEY,
  requestIdHeader: "request-id",
  errorResponse: anthropicErrorResponse,
  exchange: messageExchange,
};

async function messageExchange(opened: Opened<MessagesRequest>, ctx: RequestContext, _gw: Gateway): Promise<Exchange> {
  const { req, bytes, body, request } = opened;
  const plan = planRoutes(
    opened.channels,
    (provider) => !!provider?.messages,
    () => messagesToChat(body, { model: request.model }),
    (error) => invalidRequest(`${error.message} (the channel serving model '${request.model}' does not speak Anthropic's Messages API).`, error.param),
  );
  const hubPromptTokens = () => estimatePromptTokens(plan.hub ?? {});
  const headers = anthropicHeaders(req);
  let native = false;
  return {
    bound: { prompt: promptTokensUpperBound(bytes.length, body.messages, body.system, body.tools), output: request.max_tokens },
    channels: plan.channels,
    send(provider, channel, model, signal) {
      native = !!provider.messages;
      if (native) {
        const unchanged = model === request.model;
        return provider.messages!({ channel, body: unchanged ? body : { ...body, model }, rawBody: unchanged ? bytes : undefined, stream: ctx.stream, signal, requestId: ctx.id, headers });
      }
      return provider.chatCompletions({ channel, body: { ...plan.hub!, model }, stream: ctx.stream, signal, requestId: ctx.id, translated: true });
    },
    upstreamError: anthropicRelayedError,
    answer(answer, json) {
      if (native) return { body: answer, metered: meterMessage(json, body) };
      if (json === undefined) throw upstreamUnavailable("The upstream's answer was not valid JSON.", 502);
      return { body: JSON.stringify(chatToMessage(json, { model: request.model })), metered: meterCompletion(json ?? null, hubPromptTokens) };
    },
    stream: () => (native ? new MessageEventRelay(body) : new ChatToMessageEvents(request.model, hubPromptTokens)),
  };
}
