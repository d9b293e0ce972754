/**
 * The sandbox's embeddings: deterministic vectors by feature hashing. A text's words and its
 * character trigrams (lower-cased) are each hashed to a dimension and a sign and summed, and the sum
 * is scaled to unit length — so the same text always gives the same vector, and texts sharing words
 * or spellings point in similar directions (a higher cosine similarity) while unrelated ones are
 * nearly orthogonal. Token-id inputs are hashed by their ids and pairs of neighbouring ids.
 */
export const SANDBOX_EMBEDDING_DIMENSIONS = 256;
/** The most dimensions it gives (as many as OpenAI's largest embedding model). */
export const SANDBOX_MAX_DIMENSIONS = 3072;
/** The most numbers one answer holds (inputs × dimensions): every input at the default size. */
export const SANDBOX_MAX_VALUES = 2048 * SANDBOX_EMBEDDING_DIMENSIONS;

export type EmbeddingInput = string | readonly number[];

export function sandboxEmbedding(input: EmbeddingInput, dimensions = SANDBOX_EMBEDDING_DIMENSIONS): Float32Array {
  const sums = new Float64Array(dimensions);
  const add = (feature: string, weight: number) => {
    const hash = fnv1a(feature);
    sums[hash % dimensions]! += hash & 0x80000000 ? -weight : weight;
  };
  if (typeof input === "string") {
    const text = input.toLowerCase();
    for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) add(`w:${word}`, 2);
    const padded = ` ${text} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 1);
  } else {
    for (let i = 0; i < input.length; i++) {
      add(`t:${input[i]}`, 2);
      if (i > 0) add(`b:${input[i - 1]}:${input[i]}`, 1);
    }
  }
  let norm = 0;
  for (const value of sums) norm += value * value;
  const vector = new Float32Array(dimensions);
  // Every feature cancelled out (practically never): one axis, chosen by the input, still unit length.
  if (norm === 0) vector[fnv1a(JSON.stringify(input)) % dimensions] = 1;
  else for (let i = 0; i < dimensions; i++) vector[i] = sums[i]! / Math.sqrt(norm);
  return vector;
}

/** A vector as OpenAI's `encoding_format: "base64"` sends it: little-endian float32s, base64. */
export function toBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes.toString("base64");
}

/** 32-bit FNV-1a of a string's UTF-16 code units: fast, and well spread for short features. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
