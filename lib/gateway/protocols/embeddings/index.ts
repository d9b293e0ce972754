import { embeddingInputs, embeddingsRequestSchema, type EmbeddingsRequest } from "../../../schemas/embeddings";
import { bearerToken, MISSING_BEARER_KEY } from "../../pipeline/authenticate";
import { internalError, invalidRequest } from "../../pipeline/errors";
import type { Metered } from "../../pipeline/meter";
import type { Protocol } from "../../pipeline/protocol";
import { countInputTokens } from "../../pipeline/tokens";
import { fromOpenAIUsage, isUsageObject } from "../../pipeline/usage";
import { getProvider } from "../../providers";
import { relayedError } from "../../http/upstream-body";
import { openAIErrorResponse } from "../openai-errors";

/**
 * POST /v1/embeddings — OpenAI's Embeddings API. The body goes to the channel as sent (its bytes,
 * when the model keeps its name) and the answer comes back unchanged, base64 vectors included.
 * Only prompt tokens are billed; an embedding has no output.
 */
export const embeddingsProtocol: Protocol<EmbeddingsRequest> = {
  endpoint: "/v1/embeddings",
  schema: embeddingsRequestSchema,
  apiKey: (req) => bearerToken(req.header("authorization")),
  missingKeyMessage: MISSING_BEARER_KEY,
  errorResponse: openAIErrorResponse,

  async exchange({ bytes, body, request, channels }, ctx) {
    const inputs = embeddingInputs(request.input);
    const serving = channels.filter((channel) => !!getProvider(channel.type)?.embeddings);
    if (!serving.length) throw invalidRequest(`The model \`${request.model}\` does not support embeddings.`, "model", "model_not_supported");
    return {
      bound: { prompt: embeddingTokensUpperBound(inputs), output: 0 },
      channels: serving,
      send(provider, channel, model, signal) {
        const unchanged = model === request.model;
        return provider.embeddings!({ channel, body: unchanged ? body : { ...body, model }, rawBody: unchanged ? bytes : undefined, stream: false, signal, requestId: ctx.id });
      },
      upstreamError: relayedError,
      answer: (answer, json) => ({ body: answer, metered: meterEmbeddings(json ?? null, inputs) }),
      // The schema admits no stream, so the pipeline never streams an embeddings request.
      stream() {
        throw internalError();
      },
    };
  },
};

/**
 * Every BPE token covers at least one byte of text, so a text's UTF-8 size bounds its tokens; a
 * token-id array is exactly its length.
 */
export function embeddingTokensUpperBound(inputs: ReadonlyArray<string | readonly number[]>): number {
  let total = 0;
  for (const input of inputs) total += typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.length;
  return total;
}

/** Prompt tokens of the inputs, counted with the tokenizer (token-id arrays are their length). */
export function countEmbeddingTokens(inputs: ReadonlyArray<string | readonly number[]>): number {
  let total = 0;
  for (const input of inputs) total += countInputTokens(input);
  return total;
}

/** The answer's `usage.prompt_tokens`, or the inputs counted (estimated) when it has none. */
export function meterEmbeddings(json: unknown, inputs: ReadonlyArray<string | readonly number[]>): Metered {
  const usage = (json as { usage?: unknown } | null)?.usage;
  if (isUsageObject(usage)) return { usage: { ...fromOpenAIUsage(usage), completionTokens: 0, reasoningTokens: 0 }, estimated: false };
  return { usage: { promptTokens: countEmbeddingTokens(inputs), completionTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
}
