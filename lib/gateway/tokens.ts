type Tokenizer = typeof import("gpt-tokenizer");
let tokenizer: Tokenizer | undefined;

/**
 * The o200k tokenizer, loaded on first use: its rank tables cost ~60 MB of memory, and a gateway
 * whose upstreams report usage (the normal case) never needs them. Synchronous `require` because
 * counting is synchronous; the module is cached, so later calls cost nothing.
 */
export function loadTokenizer(): Tokenizer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (tokenizer ??= require("gpt-tokenizer") as Tokenizer);
}

/**
 * Token counting with a real BPE tokenizer (o200k_base, as used by current OpenAI models). Used when
 * an upstream reports no usage (or the client aborted mid-stream) and by the sandbox channel.
 */
// User text may contain strings like "<|endoftext|>": count them as ordinary text, never throw.
const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  return text ? loadTokenizer().encode(text, ORDINARY_TEXT).length : 0;
}

/** Per-message framing overhead in OpenAI's chat format (role, separators). */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;
/** What one image costs in a prompt when we cannot see its size (OpenAI's high-detail tile estimate). */
export const TOKENS_PER_IMAGE = 765;

interface MessageLike {
  role?: unknown;
  name?: unknown;
  content?: unknown;
  tool_calls?: unknown;
}

/** Prompt tokens of a chat request's messages, counted the way OpenAI frames them. */
export function countMessageTokens(messages: readonly MessageLike[]): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE;
    if (typeof message.role === "string") total += countTokens(message.role);
    if (typeof message.name === "string") total += countTokens(message.name) + 1;
    total += countContentTokens(message.content);
    if (message.tool_calls) total += countTokens(JSON.stringify(message.tool_calls));
  }
  return total;
}

export function countContentTokens(content: unknown): number {
  if (typeof content === "string") return countTokens(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
    if (part?.type === "text" && typeof part.text === "string") total += countTokens(part.text);
    else if (part?.type === "image_url") total += TOKENS_PER_IMAGE;
    else total += countTokens(JSON.stringify(part));
  }
  return total;
}
