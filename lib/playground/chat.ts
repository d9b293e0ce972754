import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import {
  APICallError,
  createUIMessageStreamResponse,
  generateId,
  generateText,
  streamText,
  toUIMessageStream,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  type TextStreamPart,
  type ToolSet,
  type UIMessageChunk,
} from "ai";
import { costOf, type Price } from "../billing/pricing";
import { jsonResponse } from "../http/json";
import { displayUsd } from "../money";
import { describeFailure, failureBody, failureText, type PlaygroundFailure } from "./errors";
import { DEFAULT_MESSAGES_MAX_TOKENS, type PlaygroundMessage, type PlaygroundSettings, type TurnMetadata } from "./types";

/** One playground turn, ready to be sent to our own /v1 API. */
export interface PlaygroundCall {
  /** The user's playground key (plain; never sent to the browser). */
  apiKey: string;
  /** `<gateway origin>/v1`. */
  baseUrl: string;
  settings: PlaygroundSettings;
  messages: ModelMessage[];
  /** The model's price from the catalog, for the cost shown under the turn. */
  price: Price | null;
  /** Aborted when the browser goes away (Stop): the /v1 call is cut, and billed for what was streamed. */
  signal: AbortSignal;
}

/**
 * The AI SDK model for the call: Chat Completions through the OpenAI-compatible provider, the
 * Responses API through the OpenAI provider's Responses model, or Anthropic's Messages API through
 * the Anthropic provider (its baseURL includes /v1; it sends the key as x-api-key with
 * anthropic-version). All are plain HTTP clients of <baseUrl>, authenticated with the user's
 * playground key.
 */
function languageModel(call: PlaygroundCall): LanguageModel {
  const { apiKey, baseUrl, settings } = call;
  if (settings.api === "responses") return createOpenAI({ name: "rootapi", apiKey, baseURL: baseUrl }).responses(settings.model);
  if (settings.api === "messages") return createAnthropic({ name: "rootapi", apiKey, baseURL: baseUrl })(settings.model);
  // includeUsage: streams ask for the final usage chunk, so every turn shows its tokens.
  return createOpenAICompatible({ name: "rootapi", apiKey, baseURL: baseUrl, includeUsage: true }).chatModel(settings.model);
}

function callOptions(call: PlaygroundCall) {
  const { settings } = call;
  return {
    model: languageModel(call),
    instructions: settings.system || undefined,
    messages: call.messages,
    temperature: settings.temperature ?? undefined,
    // Messages requires max_tokens: the playground's default rather than the provider's guess for a model it does not know.
    maxOutputTokens: settings.maxTokens ?? (settings.api === "messages" ? DEFAULT_MESSAGES_MAX_TOKENS : undefined),
    // The gateway already fails over between channels; a retry here would bill a second call.
    maxRetries: 0,
    abortSignal: call.signal,
    // The conversation is sent whole every turn: nothing needs to be stored for previous_response_id.
    providerOptions: settings.api === "responses" ? { openai: { store: false } } : undefined,
  };
}

/** Tokens and cost of a turn, priced like the gateway bills it (costOf with the catalog's price). */
export function turnUsage(usage: LanguageModelUsage, price: Price | null): TurnMetadata {
  const inputTokens = usage.inputTokens ?? 0;
  const outputTokens = usage.outputTokens ?? 0;
  const cachedTokens = usage.inputTokenDetails?.cacheReadTokens ?? 0;
  const cacheWriteTokens = usage.inputTokenDetails?.cacheWriteTokens ?? 0;
  const reasoningTokens = usage.outputTokenDetails?.reasoningTokens ?? 0;
  const metadata: TurnMetadata = { inputTokens, outputTokens, cachedTokens, reasoningTokens };
  if (price) {
    const cost = costOf({ promptTokens: inputTokens, cachedTokens, cacheWriteTokens, completionTokens: outputTokens, reasoningTokens }, price);
    metadata.cost = cost.toString();
    metadata.costLabel = displayUsd(cost);
  }
  return metadata;
}

function failureResponse(failure: PlaygroundFailure, requestId?: string): Response {
  const body = failureBody(failure);
  if (requestId) body.error.requestId = requestId;
  return jsonResponse(body, failure.status >= 400 && failure.status < 600 ? failure.status : 502);
}

const requestIdOf = (headers: Record<string, string> | undefined) => headers?.["x-request-id"];

function errorRequestId(error: unknown): string | undefined {
  return APICallError.isInstance(error) ? requestIdOf(error.responseHeaders) : undefined;
}

/** Parts before which nothing has come back from the API yet. */
const PREAMBLE = new Set(["start", "start-step", "ping", "raw"]);

/**
 * Streams the turn: the /v1 call is made, and the first answer (its first token or its error)
 * awaited before answering, so a refused call — 402 insufficient balance, 404 model, 429 — is an
 * HTTP error with the gateway's message rather than a broken stream. Then the rest streams as the
 * AI SDK's UI message stream, with tokens and cost as the message's metadata at the end.
 */
async function streamTurn(call: PlaygroundCall, base: TurnMetadata, started: number): Promise<Response> {
  const result = streamText({ ...callOptions(call), onError: () => {} });
  const reader = result.stream.getReader();
  const head: Array<TextStreamPart<ToolSet>> = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.type === "error") {
      await reader.cancel().catch(() => {});
      return failureResponse(describeFailure(value.error), errorRequestId(value.error));
    }
    head.push(value);
    if (!PREAMBLE.has(value.type)) break;
  }

  let requestId: string | undefined;
  const rest = new ReadableStream<TextStreamPart<ToolSet>>({
    start(controller) {
      for (const part of head) controller.enqueue(part);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      if (value.type === "finish-step") requestId ??= requestIdOf(value.response.headers);
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  for (const part of head) if (part.type === "finish-step") requestId ??= requestIdOf(part.response.headers);

  const stream = toUIMessageStream<ToolSet, PlaygroundMessage>({
    stream: rest,
    onError: failureText,
    messageMetadata: ({ part }) => {
      if (part.type === "start") return base;
      if (part.type === "finish") {
        return {
          ...base,
          ...turnUsage(part.totalUsage, call.price),
          finishReason: part.finishReason,
          durationMs: Date.now() - started,
          requestId,
        };
      }
      return undefined;
    },
  });
  return createUIMessageStreamResponse({ stream });
}

/** Streaming off: the whole answer is generated by one non-streaming /v1 call, then sent at once. */
async function generateTurn(call: PlaygroundCall, base: TurnMetadata, started: number): Promise<Response> {
  let result: Awaited<ReturnType<typeof generateText>>;
  try {
    result = await generateText(callOptions(call));
  } catch (error) {
    return failureResponse(describeFailure(error), errorRequestId(error));
  }
  const metadata: TurnMetadata = {
    ...base,
    ...turnUsage(result.totalUsage, call.price),
    finishReason: result.finishReason,
    durationMs: Date.now() - started,
    requestId: requestIdOf(result.response.headers),
  };
  const textId = generateId();
  const chunks: Array<UIMessageChunk<TurnMetadata>> = [{ type: "start", messageMetadata: base }];
  if (result.reasoningText) {
    const reasoningId = generateId();
    chunks.push(
      { type: "reasoning-start", id: reasoningId },
      { type: "reasoning-delta", id: reasoningId, delta: result.reasoningText },
      { type: "reasoning-end", id: reasoningId },
    );
  }
  chunks.push(
    { type: "text-start", id: textId },
    { type: "text-delta", id: textId, delta: result.text },
    { type: "text-end", id: textId },
    { type: "finish", finishReason: result.finishReason, messageMetadata: metadata },
  );
  const stream = new ReadableStream<UIMessageChunk<TurnMetadata>>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return createUIMessageStreamResponse({ stream });
}

/** Runs one playground turn against our own /v1 API; answers with a UI message stream or a JSON error. */
export function runPlaygroundTurn(call: PlaygroundCall): Promise<Response> {
  const started = Date.now();
  const base: TurnMetadata = { model: call.settings.model, api: call.settings.api, stream: call.settings.stream };
  return call.settings.stream ? streamTurn(call, base, started) : generateTurn(call, base, started);
}
