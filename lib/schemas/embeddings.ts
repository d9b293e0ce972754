import { z } from "zod";

/**
 * OpenAI's Embeddings request as we validate it, with OpenAI's limits: one input or up to 2048,
 * each a non-empty string or a non-empty array of token ids. Unknown fields pass through unchanged.
 * There is no `stream`: embeddings are answered whole (a request asking for a stream is refused).
 */
export const MAX_EMBEDDING_INPUTS = 2048;

const text = z.string().min(1, "an input must not be an empty string");
const tokenId = z.number().int().min(0);
const tokenIds = z.array(tokenId).min(1, "an array of token ids must not be empty");

/** One array holds texts, or token ids (one input), or token-id arrays: never a mix. */
const kindOf = (item: unknown) => (typeof item === "string" ? "text" : typeof item === "number" ? "token id" : "token-id array");

const input = z.union([text, z.array(z.union([text, tokenIds, tokenId])).min(1, "input must not be an empty array")]).superRefine((value, ctx) => {
  if (typeof value === "string") return;
  const kind = kindOf(value[0]);
  const mixed = value.findIndex((item) => kindOf(item) !== kind);
  if (mixed >= 0) ctx.addIssue({ code: "custom", path: [mixed], message: `expected a ${kind} like the first item, not a ${kindOf(value[mixed])}`, abort: true });
  else if (kind !== "token id" && value.length > MAX_EMBEDDING_INPUTS) ctx.addIssue({ code: "custom", message: `at most ${MAX_EMBEDDING_INPUTS} inputs per request, got ${value.length}` });
});

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  input,
  dimensions: z.number().int().min(1).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
  user: z.string().optional(),
  stream: z.literal(false, "embeddings are not streamed; omit stream").nullable().optional(),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/** The inputs one by one: texts, or token-id arrays. */
export function embeddingInputs(input: EmbeddingsRequest["input"]): Array<string | number[]> {
  if (typeof input === "string") return [input];
  if (typeof input[0] === "number") return [input as number[]];
  return input as Array<string | number[]>;
}
