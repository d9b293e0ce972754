import { countMessageTokens, countTokens } from "../../pipeline/tokens";
import { tokenLogprobs, type TokenLogprob } from "./logprobs";
import type { Reply } from "./reply";
import type { SandboxRequest } from "./request";
import { decodeTokens, splitWords } from "./token-text";

/**
 * Turns a sandbox reply into OpenAI's wire objects (chat.completion, chat.completion.chunk, error),
 * field for field as OpenAI sends them, so SDKs and the gateway's relay treat it like the real thing.
 */
export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
  /** One per choice; only used when the reply is a tool call. */
  toolCallIds: string[];
}

const COMMON = { service_tier: "default", system_fingerprint: "fp_sandbox" } as const;

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export function usageOf(request: SandboxRequest, reply: Reply): Usage {
  const prompt = countMessageTokens(request.messages) + (request.tools.length ? countTokens(JSON.stringify(request.tools)) : 0);
  const perChoice = reply.kind === "text" ? reply.tokens.length : reply.completionTokens;
  const completion = perChoice * request.n;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

type Logprobs = { content: TokenLogprob[] | null; refusal: null } | null;

function fullLogprobs(request: SandboxRequest, reply: Reply): Logprobs {
  if (!request.logprobs) return null;
  return { content: reply.kind === "text" ? tokenLogprobs(reply.tokens, request.topLogprobs) : null, refusal: null };
}

export function completionBody(meta: ResponseMeta, request: SandboxRequest, reply: Reply): Record<string, unknown> {
  const logprobs = fullLogprobs(request, reply);
  const choices = Array.from({ length: request.n }, (_, index) => ({
    index,
    message:
      reply.kind === "text"
        ? { role: "assistant", content: reply.content, refusal: null, annotations: [] }
        : {
            role: "assistant",
            content: null,
            tool_calls: [{ id: meta.toolCallIds[index], type: "function", function: { name: reply.name, arguments: reply.arguments } }],
            refusal: null,
            annotations: [],
          },
    logprobs,
    finish_reason: reply.finishReason,
  }));
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices,
    ...(request.directives.noUsage ? {} : { usage: usageOf(request, reply) }),
    ...COMMON,
  };
}

/**
 * One step of a stream. `kind` lets the adapter pace the stream (pause before content) and place
 * simulated failures (after N content chunks) without looking inside the chunk.
 */
export interface StreamStep {
  kind: "role" | "content" | "finish" | "usage";
  /** Wait the stream delay before sending this step (between words, not between choices). */
  pause: boolean;
  chunk: Record<string, unknown>;
}

/** How many fragments a tool call's arguments are streamed in, as models send them piecemeal. */
const ARGUMENT_FRAGMENTS = 4;

export function streamSteps(meta: ResponseMeta, request: SandboxRequest, reply: Reply): StreamStep[] {
  const withUsage = request.includeUsage && !request.directives.noUsage;
  const chunk = (choices: unknown[]): Record<string, unknown> => ({
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    ...COMMON,
    choices,
    ...(withUsage ? { usage: null } : {}),
  });
  const choiceIndexes = Array.from({ length: request.n }, (_, i) => i);
  const steps: StreamStep[] = [];
  const logprobsOf = (content: TokenLogprob[] | null) => (request.logprobs ? { content, refusal: null } : null);

  if (reply.kind === "text") {
    for (const index of choiceIndexes) {
      steps.push({ kind: "role", pause: false, chunk: chunk([{ index, delta: { role: "assistant", content: "", refusal: null }, logprobs: logprobsOf([]), finish_reason: null }]) });
    }
    let offset = 0;
    splitWords(reply.tokens).forEach((word, position) => {
      const content = decodeTokens(word);
      const logprobs = request.logprobs ? tokenLogprobs(word, request.topLogprobs, offset) : null;
      offset += word.length;
      for (const index of choiceIndexes) {
        steps.push({ kind: "content", pause: position > 0 && index === 0, chunk: chunk([{ index, delta: { content }, logprobs: logprobsOf(logprobs), finish_reason: null }]) });
      }
    });
  } else {
    for (const index of choiceIndexes) {
      const header = { index: 0, id: meta.toolCallIds[index], type: "function", function: { name: reply.name, arguments: "" } };
      steps.push({
        kind: "role",
        pause: false,
        chunk: chunk([{ index, delta: { role: "assistant", content: null, tool_calls: [header], refusal: null }, logprobs: logprobsOf(null), finish_reason: null }]),
      });
    }
    fragments(reply.arguments, ARGUMENT_FRAGMENTS).forEach((fragment, position) => {
      for (const index of choiceIndexes) {
        const delta = { tool_calls: [{ index: 0, function: { arguments: fragment } }] };
        steps.push({ kind: "content", pause: position > 0 && index === 0, chunk: chunk([{ index, delta, logprobs: logprobsOf(null), finish_reason: null }]) });
      }
    });
  }

  for (const index of choiceIndexes) {
    steps.push({ kind: "finish", pause: false, chunk: chunk([{ index, delta: {}, logprobs: null, finish_reason: reply.finishReason }]) });
  }
  if (withUsage) steps.push({ kind: "usage", pause: false, chunk: { ...chunk([]), usage: usageOf(request, reply) } });
  return steps;
}

/** Splits on code points so no fragment ends inside a character. */
function fragments(text: string, count: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / count));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}

/** OpenAI's error envelope, with the type/code its SDKs map to the right exception class. */
/** Set on answers that a test asked for; see lib/gateway/pipeline/relay.ts. */
export const SIMULATED_HEADER = "x-rootapi-simulated";

export function simulatedError(status: number): { body: Record<string, unknown>; headers: Record<string, string> } {
  const message = `Simulated ${status} from the sandbox channel`;
  const [type, code] = errorKind(status);
  return {
    body: { error: { message, type, param: null, code } },
    // Marked as simulated: the gateway relays it to the caller instead of failing over or
    // counting it against the channel's health (a developer testing retries must not disable it).
    headers: { [SIMULATED_HEADER]: "1", ...(status === 429 ? { "retry-after": "1" } : {}) },
  };
}

function errorKind(status: number): [type: string, code: string | null] {
  if (status === 429) return ["requests", "rate_limit_exceeded"];
  if (status >= 500) return ["server_error", null];
  if (status === 401) return ["invalid_request_error", "invalid_api_key"];
  if (status === 404) return ["invalid_request_error", "model_not_found"];
  return ["invalid_request_error", null];
}
