import { chatCompletionRequestSchema, type ChatCompletionRequest } from "../../../schemas/chat-completions";
import { bearerToken, MISSING_BEARER_KEY } from "../../pipeline/authenticate";
import { estimatePromptTokens, meterCompletion } from "../../pipeline/meter";
import type { Protocol } from "../../pipeline/protocol";
import { promptTokensUpperBound } from "../../pipeline/steps";
import { relayedError } from "../../http/upstream-body";
import { ChatEventRelay } from "./event-relay";
import { openAIErrorResponse } from "../openai-errors";

/**
 * OpenAI Chat Completions — also the hub every other protocol is translated through, so every
 * provider speaks it: the client's body goes up as sent (its bytes, when the model keeps its name
 * and no stream usage must be asked for) and the answer comes back unchanged.
 */
export const chatCompletionsProtocol: Protocol<ChatCompletionRequest> = {
  endpoint: "/v1/chat/completions",
  schema: chatCompletionRequestSchema,
  apiKey: (req) => bearerToken(req.header("authorization")),
  missingKeyMessage: MISSING_BEARER_KEY,
  errorResponse: openAIErrorResponse,

  async exchange({ bytes, body, request: chat, channels }, ctx, gw) {
    const promptTokens = () => estimatePromptTokens(body);
    return {
      bound: {
        prompt: promptTokensUpperBound(bytes.length, chat.messages),
        output: (chat.max_completion_tokens ?? chat.max_tokens ?? gw.config.defaultMaxOutputTokens) * (chat.n ?? 1),
      },
      channels,
      send(provider, channel, model, signal) {
        const unchanged = model === chat.model && !ctx.stream;
        return provider.chatCompletions({
          channel,
          body: unchanged ? body : upstreamBody(body, model, ctx.stream),
          rawBody: unchanged ? bytes : undefined,
          stream: ctx.stream,
          signal,
          requestId: ctx.id,
        });
      },
      upstreamError: relayedError,
      // Relayed as the upstream sent it; one that is not JSON is billed for the prompt only.
      answer: (answer, json) => ({ body: answer, metered: meterCompletion(json ?? null, promptTokens) }),
      stream: () => new ChatEventRelay(chat.stream_options?.include_usage === true, promptTokens),
    };
  },
};

/** The client's body as sent, with the upstream's model name and (for streams) usage requested. */
function upstreamBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body, model };
  if (stream) out.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  return out;
}
