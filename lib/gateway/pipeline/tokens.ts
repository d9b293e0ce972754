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

/**
 * Byte-pair encoding is linear in ordinary text but quadratic in a long run without whitespace
 * (a 16 KB run of letters takes ~120 ms, 19 MB of prompt took seconds): the event loop must never
 * wait on that. So text is counted exactly while that is cheap, in bounded slices when it has long
 * runs, and past EXACT_CHARS by sampling evenly spread slices and scaling — an estimate, which is
 * what counting is for here (the sandbox's usage, and requests whose upstream reported none).
 */
const EXACT_CHARS = 64 * 1024;
/** Longest piece handed to the encoder at once; long runs are cut into pieces of this size. */
const SLICE_CHARS = 256;
/** Slices counted for a long text's estimate (64 × 256 = 16 K characters). */
const SAMPLE_SLICES = 64;
const LONG_RUN = new RegExp(`\\S{${SLICE_CHARS + 1}}`);

export function countTokens(text: string): number {
  if (!text) return 0;
  if (text.length <= EXACT_CHARS && !LONG_RUN.test(text)) return encodeLength(text);
  if (text.length <= SAMPLE_SLICES * SLICE_CHARS) {
    let total = 0;
    for (let at = 0; at < text.length; at += SLICE_CHARS) total += encodeLength(text.slice(at, at + SLICE_CHARS));
    return total;
  }
  const stride = Math.floor(text.length / SAMPLE_SLICES);
  let sampled = 0;
  for (let i = 0; i < SAMPLE_SLICES; i++) sampled += encodeLength(text.slice(i * stride, i * stride + SLICE_CHARS));
  return Math.ceil((sampled * text.length) / (SAMPLE_SLICES * SLICE_CHARS));
}

function encodeLength(text: string): number {
  return loadTokenizer().encode(text, ORDINARY_TEXT).length;
}

/** An embeddings input's tokens: a text counted, a token-id array its length. */
export function countInputTokens(input: string | readonly number[]): number {
  return typeof input === "string" ? countTokens(input) : input.length;
}

/** Per-message framing overhead in OpenAI's chat format (role, separators). */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;
/** What one image costs in a prompt when we cannot see its size (OpenAI's high-detail tile estimate). */
export const TOKENS_PER_IMAGE = 765;
/**
 * What one file part (a PDF by id, URL or inline) may add beyond its bytes in the body: its pages
 * are also shown to the model as images. A file that costs more is still billed in full (see the
 * README's billing rules on overruns).
 */
export const TOKENS_PER_FILE = 32_768;

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
