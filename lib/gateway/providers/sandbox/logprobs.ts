import { tokenBytes, tokenLabel, tokenText } from "./token-text";

/** OpenAI's ChatCompletionTokenLogprob. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] }>;
}

export const MAX_TOP_LOGPROBS = 20;

/**
 * Fake but well-formed log probabilities: the chosen token is always the most likely one (close to
 * 0), and the alternatives are much less likely so the probabilities at a position sum below 1.
 * `offset` is the position of the first token in the whole reply, so stream chunks and the
 * non-stream answer agree entry for entry.
 */
export function tokenLogprobs(ids: readonly number[], topLogprobs: number, offset = 0): TokenLogprob[] {
  const top = Math.max(0, Math.min(MAX_TOP_LOGPROBS, Math.floor(topLogprobs)));
  return ids.map((id, i) => {
    const position = offset + i;
    const token = tokenLabel(id);
    const bytes = Array.from(tokenBytes(id));
    const logprob = round(-(position % 7) * 0.01 - 0.001);
    const top_logprobs: TokenLogprob["top_logprobs"] = [];
    if (top > 0) {
      top_logprobs.push({ token, logprob, bytes });
      alternatives(tokenText(id), top - 1).forEach((alt, k) =>
        top_logprobs.push({ token: alt, logprob: round(logprob - 4 - k), bytes: Array.from(utf8.encode(alt)) }),
      );
    }
    return { token, logprob, bytes, top_logprobs };
  });
}

const utf8 = new TextEncoder();
const round = (n: number) => Number(n.toFixed(6));

/** Tokens that could plausibly have come instead, then common filler; never the chosen token. */
const FILLER = [" the", ",", ".", " and", " a", " to", " of", " in", " is", "\n", " I", " it", " that", " for", " you", " on", " with", " as", " this", " be", " are", " was"];

function alternatives(token: string | null, count: number): string[] {
  const candidates: string[] = [];
  if (token !== null) {
    const core = token.trimStart();
    const lead = token.slice(0, token.length - core.length);
    if (core) {
      const flipped = core[0] === core[0].toUpperCase() ? core[0].toLowerCase() : core[0].toUpperCase();
      candidates.push(lead + flipped + core.slice(1));
      candidates.push(lead ? core : ` ${core}`);
      candidates.push(lead + core.toUpperCase());
      if (/^[a-z]+$/i.test(core)) candidates.push(`${lead}${core}s`);
    }
  }
  candidates.push(...FILLER);
  const seen = new Set(token === null ? [] : [token]);
  const out: string[] = [];
  for (const candidate of candidates) {
    if (out.length >= count) break;
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    out.push(candidate);
  }
  return out;
}
