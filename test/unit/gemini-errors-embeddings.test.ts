import { describe, expect, it } from "vitest";
import { chatError, geminiErrorOf, httpStatusOf, openAIErrorOf } from "@/lib/gateway/providers/gemini/errors";
import { Untranslatable } from "@/lib/gateway/translate/hub";
import { base64Embedding, embeddingInputs, embeddingsToGemini, geminiToEmbeddings } from "@/lib/gateway/translate/gemini/embeddings";
import { API_KEY_INVALID, EMBED_ANSWER, RESOURCE_EXHAUSTED, UNAVAILABLE } from "./fixtures/gemini/upstream-answers";

/** Gemini's google.rpc.Status errors in OpenAI's shape, and the embeddings translation. */

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

describe("gemini errors", () => {
  it("reads code, message, status, ErrorInfo reason and RetryInfo delay", () => {
    expect(geminiErrorOf(RESOURCE_EXHAUSTED)).toEqual({ code: 429, message: RESOURCE_EXHAUSTED.error.message, status: "RESOURCE_EXHAUSTED", retryAfter: "21" });
    expect(geminiErrorOf(API_KEY_INVALID)).toMatchObject({ code: 400, status: "INVALID_ARGUMENT", reason: "API_KEY_INVALID" });
    expect(geminiErrorOf([UNAVAILABLE])).toMatchObject({ code: 503, status: "UNAVAILABLE" });
    expect(geminiErrorOf({ candidates: [] })).toBeNull();
    expect(geminiErrorOf({ error: "nope" })).toBeNull();
  });

  it("the HTTP status is the error's own code, else its status name's; a bad key is 401", () => {
    expect(httpStatusOf({ code: null, message: "", status: "RESOURCE_EXHAUSTED" })).toBe(429);
    expect(httpStatusOf({ code: null, message: "", status: "UNAVAILABLE" })).toBe(503);
    expect(httpStatusOf({ code: null, message: "", status: "DEADLINE_EXCEEDED" })).toBe(504);
    expect(httpStatusOf({ code: null, message: "", status: "SOMETHING_NEW" })).toBe(500);
    expect(httpStatusOf({ code: 500, message: "", status: "INTERNAL" })).toBe(500);
    expect(httpStatusOf(geminiErrorOf(API_KEY_INVALID)!)).toBe(401);
  });

  it("OpenAI's shape: type from the status name, the status name (or key reason) as code", () => {
    expect(JSON.parse(openAIErrorOf(geminiErrorOf(RESOURCE_EXHAUSTED)!))).toEqual({ error: { message: RESOURCE_EXHAUSTED.error.message, type: "rate_limit_error", param: null, code: "RESOURCE_EXHAUSTED" } });
    expect(JSON.parse(openAIErrorOf(geminiErrorOf(API_KEY_INVALID)!)).error).toMatchObject({ type: "authentication_error", code: "API_KEY_INVALID" });
    expect(JSON.parse(openAIErrorOf({ code: null, message: "", status: "UNAVAILABLE" })).error.message).toBe("UNAVAILABLE");
  });

  it("chatError converts Gemini bodies and passes anything else on with its status", () => {
    expect(chatError(400, bytes(API_KEY_INVALID))).toMatchObject({ status: 401 });
    expect(chatError(429, bytes(RESOURCE_EXHAUSTED))).toMatchObject({ status: 429, retryAfter: "21" });
    const other = bytes("upstream connect error");
    expect(chatError(503, other)).toEqual({ status: 503, body: other });
  });
});

describe("gemini embeddings translation", () => {
  it("text inputs go one request each, with the model's resource name and outputDimensionality", () => {
    expect(embeddingsToGemini({ model: "x", input: ["a", "b"], dimensions: 256 }, "gemini-embedding-001")).toEqual({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "a" }] }, outputDimensionality: 256 },
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "b" }] }, outputDimensionality: 256 },
      ],
    });
    expect(embeddingsToGemini({ input: "a" }, "models/text-embedding-004")).toEqual({ requests: [{ model: "models/text-embedding-004", content: { parts: [{ text: "a" }] } }] });
  });

  it("token arrays cannot be sent", () => {
    for (const input of [[1, 2], [[1, 2]], 5, undefined]) expect(() => embeddingInputs({ input })).toThrow(Untranslatable);
    expect(embeddingInputs({ input: [] })).toEqual([]);
  });

  it("answers OpenAI's list, floats or little-endian float32 base64", () => {
    const floats = geminiToEmbeddings(EMBED_ANSWER, { model: "emb", promptTokens: 4 });
    expect(floats).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.25, -0.5, 0.125] },
        { object: "embedding", index: 1, embedding: [1, 0, -1.5] },
      ],
      model: "emb",
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    const encoded = geminiToEmbeddings(EMBED_ANSWER, { model: "emb", encodingFormat: "base64", promptTokens: 4 }) as { data: Array<{ embedding: string }> };
    expect(encoded.data[1]!.embedding).toBe(base64Embedding([1, 0, -1.5]));
    expect(Buffer.from(base64Embedding([1]), "base64")).toEqual(Buffer.from([0x00, 0x00, 0x80, 0x3f]));
  });
});
