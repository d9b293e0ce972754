import type { Metered } from "../../pipeline/meter";
import { countTokens } from "../../pipeline/tokens";
import { usageFromAnthropic } from "../../translate/anthropic/message-to-chat";
import { fromOpenAIUsage } from "../../pipeline/usage";

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/** Whether Anthropic reported usage (a message always carries it; an error or a cut stream may not). */
export function hasAnthropicUsage(usage: unknown): usage is Loose {
  return isObject(usage) && typeof usage.input_tokens === "number";
}

/**
 * Anthropic's usage as billed: its input, cache reads and cache writes (5-minute and 1-hour) are
 * separate counts, gathered through the hub's reading of them so both directions bill alike.
 */
export function meteredFromAnthropic(usage: Loose): Metered {
  return { usage: fromOpenAIUsage(usageFromAnthropic(usage)), estimated: false };
}

/** The prompt side of a Messages request, counted: for answers that came without usage. */
export function countMessagesPrompt(body: Loose): number {
  let tokens = 0;
  for (const part of [body.system, body.messages, body.tools]) {
    if (part === undefined || part === null) continue;
    tokens += countTokens(typeof part === "string" ? part : JSON.stringify(part));
  }
  return tokens;
}

/** The text a Messages answer produced (text, tool input, thinking), for counting when no usage came. */
export function contentText(content: unknown): string {
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === "string") text += block.text;
    if (typeof block.thinking === "string") text += block.thinking;
    if (block.type === "tool_use") text += `${String(block.name)}${JSON.stringify(block.input ?? {})}`;
  }
  return text;
}

/** A whole Messages answer, metered: its usage, or counted. */
export function meterMessage(message: unknown, body: Loose): Metered {
  const usage = isObject(message) ? message.usage : undefined;
  if (hasAnthropicUsage(usage)) return meteredFromAnthropic(usage);
  const completion = countTokens(contentText(isObject(message) ? message.content : undefined));
  return { usage: { promptTokens: countMessagesPrompt(body), completionTokens: completion, cachedTokens: 0, reasoningTokens: 0 }, estimated: true };
}
