import { Untranslatable, type Loose } from "../hub";

/**
 * OpenAI embeddings request → a Gemini `batchEmbedContents` request (the provider splits inputs
 * into batches Gemini accepts), and the answers → OpenAI's embeddings list. Gemini embeds text only: token-array inputs cannot be sent. `dimensions` becomes
 * `outputDimensionality`. Gemini reports no token counts for embeddings; the caller counts them.
 */

const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/** The texts to embed, in order; token arrays are refused. */
export function embeddingInputs(body: Loose): string[] {
  const input = body.input;
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === "string")) return input as string[];
  throw new Untranslatable("Only text inputs (a string or an array of strings) can be embedded on this channel; token arrays are not supported", "input");
}

export function embeddingsToGemini(body: Loose, model: string): Loose {
  const texts = embeddingInputs(body);
  const name = model.startsWith("models/") ? model : `models/${model}`;
  const dimensions = typeof body.dimensions === "number" ? body.dimensions : undefined;
  return {
    requests: texts.map((text) => ({ model: name, content: { parts: [{ text }] }, ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }) })),
  };
}

/** A vector as OpenAI's base64 form: little-endian float32 bytes. */
export function base64Embedding(values: number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString("base64");
}

export function geminiToEmbeddings(answer: unknown, options: { model: string; encodingFormat?: unknown; promptTokens: number }): Loose {
  const embeddings = isObject(answer) && Array.isArray(answer.embeddings) ? answer.embeddings : [];
  const base64 = options.encodingFormat === "base64";
  return {
    object: "list",
    data: embeddings.map((item, index) => {
      const values = isObject(item) && Array.isArray(item.values) ? (item.values as number[]) : [];
      return { object: "embedding", index, embedding: base64 ? base64Embedding(values) : values };
    }),
    model: options.model,
    usage: { prompt_tokens: options.promptTokens, total_tokens: options.promptTokens },
  };
}
