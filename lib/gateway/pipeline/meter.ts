import type { TokenUsage } from "../../billing/pricing";
import { countContentTokens, countMessageTokens, countTokens } from "./tokens";
import { sseData, SSE_DONE } from "../http/sse";
import { fromOpenAIUsage, isUsageObject } from "./usage";

/**
 * Reads token usage from upstream answers, and counts tokens locally (marking the result as
 * estimated) when an upstream sends none or the client leaves mid-stream.
 */
export interface Metered {
  usage: TokenUsage;
  estimated: boolean;
}

interface ChoiceLike {
  message?: { content?: unknown; tool_calls?: unknown; refusal?: unknown } | null;
  delta?: { content?: unknown; tool_calls?: Array<{ function?: { name?: unknown; arguments?: unknown } }>; refusal?: unknown } | null;
}

/** Prompt-side tokens of a request we could not get usage for. */
export function estimatePromptTokens(body: { messages?: unknown; tools?: unknown }): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return countMessageTokens(messages) + (body.tools ? countTokens(JSON.stringify(body.tools)) : 0);
}

/** A non-stream chat completion: usage from the body, or counted from its choices. */
export function meterCompletion(json: unknown, promptTokens: () => number): Metered {
  const usage = (json as { usage?: unknown } | null)?.usage;
  if (isUsageObject(usage)) return { usage: fromOpenAIUsage(usage), estimated: false };
  let completion = 0;
  for (const choice of ((json as { choices?: ChoiceLike[] } | null)?.choices ?? [])) {
    completion += countContentTokens(choice.message?.content);
    if (typeof choice.message?.refusal === "string") completion += countTokens(choice.message.refusal);
    if (choice.message?.tool_calls) completion += countTokens(JSON.stringify(choice.message.tool_calls));
  }
  return { usage: { promptTokens: promptTokens(), completionTokens: completion, cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
}

const USAGE_PATTERN = /"usage"\s*:\s*\{/;

/**
 * Payload text a stream keeps, in case its tokens must be counted, before it is boiled down to the
 * deltas' text: a long stream held among thousands must not keep every event it relayed.
 */
const KEPT_PAYLOAD_CHARS = 16_384;

/**
 * Watches an SSE chat stream event by event. Events pass through untouched, except the usage-only
 * chunk we asked the upstream for on the client's behalf, which is dropped again. Parsing happens
 * only for events that carry usage; the rest are kept as text in case tokens must be counted.
 */
export class StreamMeter {
  private usage: TokenUsage | null = null;
  private payloads: string[] = [];
  private keptChars = 0;
  /** The deltas' text of payloads no longer kept. */
  private text = "";
  done = false;

  constructor(private readonly clientWantsUsage: boolean) {}

  /** Returns false when the event must not reach the client. */
  accept(event: Uint8Array): boolean {
    const data = sseData(event);
    if (data === null) return true;
    if (data === SSE_DONE) {
      this.done = true;
      return true;
    }
    if (USAGE_PATTERN.test(data)) {
      try {
        const chunk = JSON.parse(data) as { usage?: unknown; choices?: unknown[] };
        if (isUsageObject(chunk.usage)) this.usage = fromOpenAIUsage(chunk.usage);
        // The usage-only chunk (no choices) exists because we asked for it; the client did not.
        if (!this.clientWantsUsage && Array.isArray(chunk.choices) && chunk.choices.length === 0) return false;
      } catch {
        // Not JSON: relay as is, count later.
      }
    }
    if (this.usage) return true;
    this.payloads.push(data);
    this.keptChars += data.length;
    if (this.keptChars > KEPT_PAYLOAD_CHARS) {
      this.text += deltaText(this.payloads);
      this.payloads = [];
      this.keptChars = 0;
    }
    return true;
  }

  /** Characters held in case tokens must be counted: payloads kept, plus the deltas' text of older ones. */
  get heldChars(): number {
    return this.keptChars + this.text.length;
  }

  /** Usage reported by the upstream, or counted from what was streamed (estimated). */
  result(promptTokens: () => number): Metered {
    if (this.usage) return { usage: this.usage, estimated: false };
    // Joined before counting: tokens of a text are not the sum of tokens of its pieces.
    const text = this.text + deltaText(this.payloads);
    return { usage: { promptTokens: promptTokens(), completionTokens: countTokens(text), cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
  }
}

/** What chat chunks' deltas say (content, refusals, tool calls), joined; a payload that is not JSON counts as it is. */
function deltaText(payloads: string[]): string {
  let text = "";
  for (const data of payloads) {
    try {
      const chunk = JSON.parse(data) as { choices?: ChoiceLike[] };
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta;
        if (!delta) continue;
        if (typeof delta.content === "string") text += delta.content;
        if (typeof delta.refusal === "string") text += delta.refusal;
        for (const call of delta.tool_calls ?? []) {
          if (typeof call.function?.name === "string") text += call.function.name;
          if (typeof call.function?.arguments === "string") text += call.function.arguments;
        }
      }
    } catch {
      text += data;
    }
  }
  return text;
}
