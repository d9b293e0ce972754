import { loadTokenizer } from "../../pipeline/tokens";

type Ranks = (typeof import("gpt-tokenizer/bpeRanks/o200k_base"))["default"];
let ranksTable: Ranks | undefined;

// The same rank table the tokenizer itself loads (one module instance): index = token id, value =
// the token's text, or its raw bytes when they are not valid UTF-8 on their own. Loaded on first
// use, like the tokenizer (see loadTokenizer).
function ranks(): Ranks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ranksTable ??= (require("gpt-tokenizer/bpeRanks/o200k_base") as { default: Ranks }).default);
}

/**
 * The sandbox's output is defined as a list of o200k tokens, so content, usage, max_tokens
 * truncation, stream chunking and logprobs all agree by construction.
 */

// Generated text may echo "<|endoftext|>" from a prompt; a model would emit it as plain text, and
// the tokenizer's default is to throw on it.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function encodeText(text: string): number[] {
  return text ? loadTokenizer().encode(text, PLAIN_TEXT) : [];
}

export function countTextTokens(text: string): number {
  return encodeText(text).length;
}

const utf8 = new TextEncoder();
const bytesCache = new Map<number, Uint8Array>();

export function tokenBytes(id: number): Uint8Array {
  let bytes = bytesCache.get(id);
  if (!bytes) {
    const entry = ranks()[id];
    bytes = typeof entry === "string" ? utf8.encode(entry) : Uint8Array.from(entry ?? []);
    bytesCache.set(id, bytes);
  }
  return bytes;
}

/** The token's text, or null when it is only part of a character. */
export function tokenText(id: number): string | null {
  const entry = ranks()[id];
  return typeof entry === "string" ? entry : null;
}

/** The text of a token, or `\xNN` escapes (as OpenAI shows them) when it is part of a character. */
export function tokenLabel(id: number): string {
  return tokenText(id) ?? Array.from(tokenBytes(id), (b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");
}

export function bytesOf(ids: readonly number[]): Uint8Array {
  const parts = ids.map(tokenBytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeTokens(ids: readonly number[]): string {
  return new TextDecoder().decode(bytesOf(ids));
}

/**
 * The first `max` tokens, minus any trailing tokens that would leave half a character: a reply
 * cut by max_tokens should still be clean text, and every token we report must be in the content.
 */
export function truncateTokens(ids: readonly number[], max: number): number[] {
  let kept = ids.slice(0, Math.max(0, max));
  while (kept.length && !isWholeUtf8(bytesOf(kept))) kept = kept.slice(0, -1);
  return kept;
}

function isWholeUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits tokens into "words": a new word starts at a token that begins with whitespace. Such a
 * token can never continue a multi-byte character, so each word decodes on its own and the words
 * concatenate to exactly the whole text.
 */
export function splitWords(ids: readonly number[]): number[][] {
  const words: number[][] = [];
  for (const id of ids) {
    const first = tokenBytes(id)[0];
    const startsWord = first === SPACE || first === TAB || first === LF || first === CR;
    if (!words.length || startsWord) words.push([id]);
    else words[words.length - 1].push(id);
  }
  return words;
}
