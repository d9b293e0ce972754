import { describe, expect, it } from "vitest";
import { embeddingInputs, embeddingsRequestSchema } from "@/lib/schemas/embeddings";
import { validate } from "@/lib/gateway/pipeline/validate";
import { GatewayError } from "@/lib/gateway/pipeline/errors";
import { sandboxProvider } from "@/lib/gateway/providers/sandbox";
import { sandboxEmbedding, toBase64 } from "@/lib/gateway/providers/sandbox/embedding";
import { countEmbeddingTokens, embeddingTokensUpperBound, meterEmbeddings } from "@/lib/gateway/protocols/embeddings";
import { countTokens } from "@/lib/gateway/pipeline/tokens";
import type { ChannelConfig, UpstreamResponse } from "@/lib/gateway/providers/types";
import { testChannel } from "@/lib/gateway/routing/channel-test";
import { startFakeUpstream } from "../helpers/fake-upstream";

type Json = Record<string, any>;

const CHANNEL: ChannelConfig = { id: "ch_1", name: "Sandbox", type: "sandbox", baseUrl: null, apiKey: null, timeoutMs: 30_000, config: null };

function refusal(body: unknown): GatewayError {
  try {
    validate(embeddingsRequestSchema, body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error("accepted");
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0));
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, x, i) => sum + x * b[i]!, 0) / (norm(a) * norm(b));

async function embed(body: Json): Promise<{ status: number; json: Json }> {
  const response: UpstreamResponse = await sandboxProvider.embeddings!({ channel: CHANNEL, body: { model: "sandbox-embedding", ...body }, stream: false, signal: new AbortController().signal, requestId: "req_1" });
  let text = "";
  for await (const chunk of response.body) text += Buffer.from(chunk).toString("utf8");
  return { status: response.status, json: JSON.parse(text) };
}

describe("the embeddings request schema", () => {
  it("takes a string, strings, token ids and arrays of token ids", () => {
    for (const input of ["hello", ["a", "b"], [1, 2, 3], [[1, 2], [3]]]) {
      expect(validate(embeddingsRequestSchema, { model: "m", input }).input).toEqual(input);
    }
    expect(validate(embeddingsRequestSchema, { model: "m", input: "x", dimensions: 8, encoding_format: "base64", user: "u", extra: 1 })).toMatchObject({ dimensions: 8, extra: 1 });
    expect(embeddingInputs("x")).toEqual(["x"]);
    expect(embeddingInputs([1, 2])).toEqual([[1, 2]]);
    expect(embeddingInputs(["a", "b"])).toEqual(["a", "b"]);
    expect(embeddingInputs([[1], [2]])).toEqual([[1], [2]]);
  });

  it("refuses what OpenAI refuses, naming the parameter", () => {
    expect(refusal({ model: "m" }).param).toBe("input");
    expect(refusal({ model: "m", input: "" }).param).toBe("input");
    expect(refusal({ model: "m", input: ["ok", ""] }).param).toBe("input[1]");
    expect(refusal({ model: "m", input: [] }).param).toBe("input");
    expect(refusal({ model: "m", input: [[1], []] }).param).toBe("input[1]");
    expect(refusal({ model: "m", input: [1.5] }).param).toMatch(/^input/);
    expect(refusal({ model: "m", input: Array.from({ length: 2049 }, () => "x") }).param).toBe("input");
    expect(validate(embeddingsRequestSchema, { model: "m", input: Array.from({ length: 2048 }, () => "x") }).input).toHaveLength(2048);
    expect(refusal({ model: "m", input: "x", dimensions: 0 }).param).toBe("dimensions");
    expect(refusal({ model: "m", input: "x", dimensions: 1.5 }).param).toBe("dimensions");
    expect(refusal({ model: "m", input: "x", encoding_format: "int8" }).param).toBe("encoding_format");
    expect(refusal({ model: "m", input: "x", stream: true }).param).toBe("stream");
    expect(refusal({ input: "x" }).param).toBe("model");
  });
});

describe("embeddings metering", () => {
  it("bounds prompt tokens by bytes, counts them when the answer has no usage", () => {
    expect(embeddingTokensUpperBound(["héllo", [1, 2, 3]])).toBe(6 + 3);
    expect(embeddingTokensUpperBound(["héllo world"])).toBeGreaterThanOrEqual(countTokens("héllo world"));
    expect(countEmbeddingTokens(["hello world", [5, 6]])).toBe(countTokens("hello world") + 2);
    expect(meterEmbeddings({ usage: { prompt_tokens: 7, total_tokens: 7 } }, ["x"])).toEqual({
      usage: expect.objectContaining({ promptTokens: 7, completionTokens: 0, cachedTokens: 0 }),
      estimated: false,
    });
    expect(meterEmbeddings({ data: [] }, ["hello world"])).toEqual({ usage: expect.objectContaining({ promptTokens: countTokens("hello world"), completionTokens: 0 }), estimated: true });
    expect(meterEmbeddings(null, [[1, 2, 3]]).usage.promptTokens).toBe(3);
  });
});

describe("sandbox embeddings", () => {
  it("are deterministic unit vectors of 256 dimensions", () => {
    const a = sandboxEmbedding("The quick brown fox");
    expect(a).toHaveLength(256);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(Array.from(sandboxEmbedding("The quick brown fox"))).toEqual(Array.from(a));
    expect(norm(sandboxEmbedding("!"))).toBeCloseTo(1, 5);
    expect(norm(sandboxEmbedding([1, 2, 3]))).toBeCloseTo(1, 5);
    expect(norm(sandboxEmbedding([42], 1))).toBeCloseTo(1, 5);
  });

  it("put similar texts closer than unrelated ones", () => {
    const cat = sandboxEmbedding("the cat sat on the mat");
    expect(cosine(cat, sandboxEmbedding("a cat sat on a mat"))).toBeGreaterThan(cosine(cat, sandboxEmbedding("quarterly revenue grew by eight percent")));
    expect(cosine(cat, sandboxEmbedding("a cat sat on a mat"))).toBeGreaterThan(0.5);
  });

  it("answers OpenAI's list with usage, dimensions and base64 (little-endian float32)", async () => {
    const floats = await embed({ input: ["hello world", "goodbye"] });
    expect(floats.status).toBe(200);
    expect(floats.json).toMatchObject({ object: "list", model: "sandbox-embedding", usage: { prompt_tokens: countTokens("hello world") + countTokens("goodbye"), total_tokens: countTokens("hello world") + countTokens("goodbye") } });
    expect(floats.json.data.map((d: Json) => [d.object, d.index, d.embedding.length])).toEqual([["embedding", 0, 256], ["embedding", 1, 256]]);
    expect(norm(floats.json.data[0].embedding)).toBeCloseTo(1, 5);

    const small = await embed({ input: "hello world", dimensions: 16 });
    expect(small.json.data[0].embedding).toHaveLength(16);
    expect(norm(small.json.data[0].embedding)).toBeCloseTo(1, 5);

    const encoded = await embed({ input: ["hello world", "goodbye"], encoding_format: "base64" });
    const bytes = Buffer.from(encoded.json.data[0].embedding, "base64");
    expect(bytes.length).toBe(256 * 4);
    const decoded = Array.from({ length: 256 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(floats.json.data[0].embedding.map(Math.fround));
    expect(encoded.json.data[0].embedding).toBe(toBase64(sandboxEmbedding("hello world")));

    const tokens = await embed({ input: [[1, 2, 3], [4]] });
    expect(tokens.json.usage.prompt_tokens).toBe(4);
  });

  it("refuses more dimensions than it has", async () => {
    const refused = await embed({ input: "x", dimensions: 5000 });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe("dimensions");
    const many = Array.from({ length: 2048 }, (_, i) => `text ${i}`);
    expect((await embed({ input: many })).json.data).toHaveLength(2048);
    const tooBig = await embed({ input: many, dimensions: 257 });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error.message).toContain("inputs × dimensions");
  });
});

describe("the embeddings schema's edges", () => {
  it("takes one long token-id input, refuses mixed arrays", () => {
    expect(validate(embeddingsRequestSchema, { model: "m", input: Array.from({ length: 3000 }, (_, i) => i) }).input).toHaveLength(3000);
    expect(refusal({ model: "m", input: ["a", [1]] })).toMatchObject({ param: "input[1]", message: expect.stringContaining("expected a text") });
    expect(refusal({ model: "m", input: [1, "a"] }).param).toBe("input[1]");
    expect(refusal({ model: "m", input: [[1], [-1]] }).param).toBe("input[1][0]");
  });
});

describe("the channel test of an embedding-only channel", () => {
  it("is answered by an embeddings call when the chat request is refused", async () => {
    let embeds = true;
    const upstream = await startFakeUpstream((req) =>
      req.path.endsWith("/embeddings") && embeds
        ? { kind: "json", body: { object: "list", data: [{ object: "embedding", index: 0, embedding: [1] }], model: "m", usage: { prompt_tokens: 1, total_tokens: 1 } } }
        : { kind: "json", status: 400, body: { error: { message: "This is not a chat model", type: "invalid_request_error" } } },
    );
    try {
      const record = { id: "c1", name: "emb", type: "openai", baseUrl: upstream.url, apiKeyEnc: null, models: ["emb-public"], modelMapping: { "emb-public": "text-embedding-3-small" }, config: null, priority: 0, weight: 1, timeoutMs: 5_000, supportsResponses: false, createdAt: new Date() };
      expect(await testChannel(record)).toMatchObject({ ok: true, status: 200, error: null });
      expect(upstream.received.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/embeddings"]);
      expect(upstream.received[1]!.body).toEqual({ model: "text-embedding-3-small", input: "ping" });

      embeds = false;
      const refused = await testChannel(record);
      expect(refused).toMatchObject({ ok: false, status: 400 });
      expect(refused.error).toContain("not a chat model");
    } finally {
      await upstream.close();
    }
  });
});
