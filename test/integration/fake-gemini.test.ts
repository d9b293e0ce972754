import { ApiError, FinishReason, GoogleGenAI, type Content, type GenerateContentResponse } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  FAKE_GEMINI_API_KEY,
  FAKE_GEMINI_EMBEDDING_DIMENSIONS,
  MAX_EMBED_BATCH,
  embeddingValues,
  errorReply,
  estimateInputTokens,
  estimateOutputTokens,
  functionCallPart,
  response,
  sseFrame,
  startFakeGemini,
  streamChunks,
  streamErrorReply,
  textPart,
  textResponse,
  thoughtPart,
  type FakeGemini,
} from "../helpers/fake-gemini";

/** The official SDK (@google/genai) pointed straight at the fake proves the fake speaks Gemini's wire format. */
describe("fake Gemini API, seen by the official SDK", () => {
  let fake: FakeGemini;
  let ai: GoogleGenAI;
  const model = "gemini-3-pro-preview";

  beforeAll(async () => {
    fake = await startFakeGemini();
    // The SDK defaults to API version v1; gateways (and Google's docs) use v1beta.
    ai = new GoogleGenAI({ apiKey: FAKE_GEMINI_API_KEY, httpOptions: { baseUrl: fake.origin, apiVersion: "v1beta" } });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.received.length = 0;
    fake.setHandler(undefined);
    fake.setApiKey(FAKE_GEMINI_API_KEY);
    fake.setRequireThoughtSignatures(false);
  });

  it("answers generateContent with the default echo and deterministic usage, recording path, key and body", async () => {
    const answer = await ai.models.generateContent({ model, contents: "Hello there", config: { systemInstruction: "Be brief.", temperature: 0.2, maxOutputTokens: 100 } });
    expect(answer.text).toBe("You said: Hello there");
    expect(answer.candidates?.[0]).toMatchObject({ finishReason: FinishReason.STOP, content: { role: "model" } });
    const [request] = fake.generations();
    expect(request).toMatchObject({ method: "POST", pathname: `/v1beta/models/${model}:generateContent`, apiVersion: "v1beta", model, action: "generateContent" });
    expect(request!.headers["x-goog-api-key"]).toBe(FAKE_GEMINI_API_KEY);
    expect(request!.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hello there" }] }],
      systemInstruction: { role: "user", parts: [{ text: "Be brief." }] },
      generationConfig: { temperature: 0.2, maxOutputTokens: 100 },
    });
    const text = "You said: Hello there";
    expect(answer.usageMetadata).toMatchObject({
      promptTokenCount: estimateInputTokens(request!.body),
      candidatesTokenCount: estimateOutputTokens(text),
      totalTokenCount: estimateInputTokens(request!.body) + estimateOutputTokens(text),
    });
    expect(answer.modelVersion).toBe(model);
    expect(answer.responseId).toEqual(expect.any(String));
  });

  it("serves the SDK's default API version (v1) too", async () => {
    const v1 = new GoogleGenAI({ apiKey: FAKE_GEMINI_API_KEY, httpOptions: { baseUrl: fake.origin } });
    expect((await v1.models.generateContent({ model, contents: "v1 please" })).text).toBe("You said: v1 please");
    expect(fake.received[0]!.pathname).toBe(`/v1/models/${model}:generateContent`);
  });

  it("returns thought parts, a signed text part and thinking and cached usage as scripted", async () => {
    const scripted = response([thoughtPart("Considering the question."), textPart("The answer is 4.", "c2lnLXRleHQ=")], {
      usage: { prompt: 1_200, cached: 1_000, candidates: 6, thoughts: 40 },
    });
    fake.enqueue({ kind: "response", response: scripted });
    const answer = await ai.models.generateContent({ model, contents: "2+2?", config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } });
    expect(answer.candidates?.[0]?.content?.parts).toEqual([
      { text: "Considering the question.", thought: true },
      { text: "The answer is 4.", thoughtSignature: "c2lnLXRleHQ=" },
    ]);
    // The SDK's text getter leaves thoughts out.
    expect(answer.text).toBe("The answer is 4.");
    expect(answer.usageMetadata).toMatchObject({ promptTokenCount: 1_200, cachedContentTokenCount: 1_000, candidatesTokenCount: 6, thoughtsTokenCount: 40, totalTokenCount: 1_246 });
    expect(fake.received[0]!.body.generationConfig).toEqual({ thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } });
  });

  it("streams chunks framed as Google frames them, usage cumulative, the final counts and finish reason last", async () => {
    const scripted = response([thoughtPart("Let me think about it carefully."), textPart("Streaming works in several small pieces.")], { usage: { prompt: 50, cached: 20, candidates: 9, thoughts: 12 } });
    fake.enqueue({ kind: "response", response: scripted });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model, contents: "Stream please" })) chunks.push(chunk);
    const [request] = fake.generations();
    expect(request!.pathname).toBe(`/v1beta/models/${model}:streamGenerateContent`);
    expect(request!.query).toEqual({ alt: "sse" });
    expect(chunks.length).toBeGreaterThan(3);
    const parts = chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
    expect(parts.filter((p) => p.thought).map((p) => p.text).join("")).toBe("Let me think about it carefully.");
    expect(parts.filter((p) => !p.thought).map((p) => p.text).join("")).toBe("Streaming works in several small pieces.");
    expect(chunks.slice(0, -1).every((c) => c.candidates?.[0]?.finishReason === undefined)).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.candidates?.[0]?.finishReason).toBe(FinishReason.STOP);
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: 50, cachedContentTokenCount: 20, candidatesTokenCount: 9, thoughtsTokenCount: 12, totalTokenCount: 71 });
    // Cumulative, never summed: every chunk repeats the prompt, output counts only grow.
    const outputs = chunks.map((c) => (c.usageMetadata?.candidatesTokenCount ?? 0) + (c.usageMetadata?.thoughtsTokenCount ?? 0));
    expect(outputs).toEqual([...outputs].sort((a, b) => a - b));
    expect(chunks.every((c) => c.usageMetadata?.promptTokenCount === 50 && c.responseId === scripted.responseId)).toBe(true);
  });

  it("frames each event as `data: <json>` and a CRLF blank line", async () => {
    fake.enqueue({ kind: "response", response: textResponse("One two three four.") });
    const raw = await fetch(`${fake.origin}/v1beta/models/${model}:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": FAKE_GEMINI_API_KEY },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    expect(raw.headers.get("content-type")).toBe("text/event-stream");
    const text = await raw.text();
    expect(text).toBe(streamChunks(textResponse("One two three four.", { responseId: JSON.parse(text.split("\r\n\r\n")[0]!.slice(6)).responseId as string })).map(sseFrame).join(""));
    expect(text.endsWith("\r\n\r\n")).toBe(true);
    // Without alt=sse Google answers one JSON array of the chunks.
    const array = await fetch(`${fake.origin}/v1beta/models/${model}:streamGenerateContent?key=${FAKE_GEMINI_API_KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
    });
    const chunks = (await array.json()) as GenerateContentResponse[];
    expect(chunks.map((c) => c.candidates?.[0]?.content?.parts?.[0]?.text).join("")).toBe("You said: hi");
  });

  it("calls functions with thought signatures the SDK exposes and sends back, and enforces them when asked (Gemini 3)", async () => {
    fake.setRequireThoughtSignatures(true);
    const call = functionCallPart("get_weather", { city: "Paris" }, "c2lnLWNhbGwtMQ==");
    fake.enqueue({ kind: "response", response: response([call, functionCallPart("get_time", { city: "Paris" }, null)]) });
    const tools = [{ functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } } }, { name: "get_time", parametersJsonSchema: { type: "object" } }] }];
    const contents: Content[] = [{ role: "user", parts: [{ text: "Weather and time in Paris?" }] }];
    const first = await ai.models.generateContent({ model, contents, config: { tools } });
    expect(first.functionCalls).toEqual([{ name: "get_weather", args: { city: "Paris" } }, { name: "get_time", args: { city: "Paris" } }]);
    expect(first.candidates?.[0]?.content?.parts?.[0]?.thoughtSignature).toBe("c2lnLWNhbGwtMQ==");
    expect(fake.received[0]!.body.tools).toEqual(tools);

    const results = { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 21 } } }, { functionResponse: { name: "get_time", response: { time: "12:00" } } }] };
    // History as received (signature on the first call only, like Google sends it): accepted.
    const second = await ai.models.generateContent({ model, contents: [...contents, first.candidates![0]!.content!, results], config: { tools } });
    expect(second.text).toBe("You said: Weather and time in Paris?");
    expect((fake.received[1]!.body.contents as Content[])[1]!.parts![0]).toEqual(call);

    // The signature lost: 400 INVALID_ARGUMENT with Google's message.
    const unsigned = { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] };
    const refused = (await ai.models.generateContent({ model, contents: [...contents, unsigned, results] }).catch((e) => e)) as ApiError;
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused.status).toBe(400);
    const body = JSON.parse(refused.message) as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT", message: expect.stringContaining("Function call is missing a thought_signature") });
    expect(body.error.message).toContain("position 2");

    // A new user text starts a new turn: older unsigned calls are no longer checked.
    const later = await ai.models.generateContent({ model, contents: [...contents, unsigned, results, { role: "model", parts: [{ text: "21°C" }] }, { role: "user", parts: [{ text: "Thanks" }] }] });
    expect(later.text).toBe("You said: Thanks");
  });

  it("streams a function call whole, with its signature", async () => {
    fake.enqueue({ kind: "response", response: response([thoughtPart("Need the weather."), functionCallPart("get_weather", { city: "Oslo" }, "c2lnLW9zbG8=")], { usage: { prompt: 30, candidates: 5, thoughts: 8 } }) });
    const parts = [];
    let last: GenerateContentResponse | undefined;
    for await (const chunk of await ai.models.generateContentStream({ model, contents: "Weather in Oslo?" })) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      last = chunk;
    }
    expect(parts.at(-1)).toEqual({ functionCall: { name: "get_weather", args: { city: "Oslo" } }, thoughtSignature: "c2lnLW9zbG8=" });
    expect(last?.functionCalls).toEqual([{ name: "get_weather", args: { city: "Oslo" } }]);
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 30, candidatesTokenCount: 5, thoughtsTokenCount: 8, totalTokenCount: 43 });
  });

  it("embeds several contents deterministically, honouring outputDimensionality", async () => {
    const embedding = "gemini-embedding-001";
    const full = await ai.models.embedContent({ model: embedding, contents: ["first text", "second text"] });
    expect(full.embeddings).toHaveLength(2);
    expect(full.embeddings![0]!.values).toHaveLength(FAKE_GEMINI_EMBEDDING_DIMENSIONS);
    expect(full.embeddings![0]!.values).toEqual(embeddingValues("first text"));
    expect(full.embeddings![1]!.values).toEqual(embeddingValues("second text"));
    expect(Math.hypot(...full.embeddings![0]!.values!)).toBeCloseTo(1, 5);

    const small = await ai.models.embedContent({ model: embedding, contents: ["first text", "third"], config: { outputDimensionality: 8, taskType: "RETRIEVAL_DOCUMENT" } });
    expect(small.embeddings!.map((e) => e.values)).toEqual([embeddingValues("first text", 8), embeddingValues("third", 8)]);
    // Truncated, not renormalised: the prefix of the full vector.
    expect(small.embeddings![0]!.values).toEqual(full.embeddings![0]!.values!.slice(0, 8));
    const [, request] = fake.embeddings();
    expect(request!.pathname).toBe(`/v1beta/models/${embedding}:batchEmbedContents`);
    expect(request!.body).toEqual({
      requests: [
        { content: { role: "user", parts: [{ text: "first text" }] }, taskType: "RETRIEVAL_DOCUMENT", outputDimensionality: 8, model: `models/${embedding}` },
        { content: { role: "user", parts: [{ text: "third" }] }, taskType: "RETRIEVAL_DOCUMENT", outputDimensionality: 8, model: `models/${embedding}` },
      ],
    });
  });

  it("lets the handler answer embeddings with an error or scripted vectors", async () => {
    fake.setHandler((request) => (request.action !== "batchEmbedContents" ? undefined : request.body.requests && (request.body.requests as unknown[]).length > 1 ? errorReply(429) : { kind: "embeddings", body: { embeddings: [{ values: [0.5, -0.5] }] } }));
    const limited = (await ai.models.embedContent({ model: "gemini-embedding-001", contents: ["a", "b"] }).catch((e) => e)) as ApiError;
    expect(limited).toBeInstanceOf(ApiError);
    expect(limited.status).toBe(429);
    const scripted = await ai.models.embedContent({ model: "gemini-embedding-001", contents: ["a"] });
    expect(scripted.embeddings).toEqual([{ values: [0.5, -0.5] }]);
    fake.setHandler(undefined);
    const tooMany = (await ai.models.embedContent({ model: "gemini-embedding-001", contents: Array.from({ length: MAX_EMBED_BATCH + 1 }, (_, i) => `text ${i}`) }).catch((e) => e)) as ApiError;
    expect(tooMany.status).toBe(400);
    expect(tooMany.message).toContain(`at most ${MAX_EMBED_BATCH} requests`);
    expect((await ai.models.embedContent({ model: "gemini-embedding-001", contents: Array.from({ length: MAX_EMBED_BATCH }, (_, i) => `text ${i}`), config: { outputDimensionality: 4 } })).embeddings).toHaveLength(MAX_EMBED_BATCH);
  });

  it("counts tokens", async () => {
    const counted = await ai.models.countTokens({ model, contents: "Count these words please" });
    expect(counted.totalTokens).toBe(estimateInputTokens(fake.received[0]!.body));
  });

  describe("errors the SDK raises as ApiError with Google's status", () => {
    const failure = async (call: () => Promise<unknown>) => {
      const error = (await call().catch((e) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      return { status: error.status, body: JSON.parse(error.message) as { error: { code: number; status: string; message: string; details?: unknown[] } } };
    };

    it("refuses a wrong key with 400 API_KEY_INVALID and a missing one with 403, and accepts ?key=", async () => {
      const wrong = new GoogleGenAI({ apiKey: "AIzaWrongKey", httpOptions: { baseUrl: fake.origin, apiVersion: "v1beta" } });
      const bad = await failure(() => wrong.models.generateContent({ model, contents: "hi" }));
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key.", details: [expect.objectContaining({ reason: "API_KEY_INVALID" }), expect.anything()] });

      const missing = await fetch(`${fake.origin}/v1beta/models/${model}:generateContent`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }) });
      expect(missing.status).toBe(403);
      expect(await missing.json()).toMatchObject({ error: { code: 403, status: "PERMISSION_DENIED" } });

      const viaQuery = await fetch(`${fake.origin}/v1beta/models/${model}:generateContent?key=${FAKE_GEMINI_API_KEY}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }) });
      expect(viaQuery.status).toBe(200);
    });

    it("serves scripted 429, 500, 503 and 400 in Google's shape", async () => {
      const cases: Array<[number, string]> = [
        [429, "RESOURCE_EXHAUSTED"],
        [500, "INTERNAL"],
        [503, "UNAVAILABLE"],
        [400, "INVALID_ARGUMENT"],
      ];
      for (const [status, name] of cases) {
        fake.enqueue(errorReply(status));
        const error = await failure(() => ai.models.generateContent({ model, contents: "hi" }));
        expect(error.status, name).toBe(status);
        expect(error.body.error).toMatchObject({ code: status, status: name, message: expect.any(String) });
        if (status === 429) expect(error.body.error.details).toEqual([{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1s" }]);
      }
      fake.enqueue(errorReply(503));
      const streamed = await failure(async () => {
        for await (const _ of await ai.models.generateContentStream({ model, contents: "hi" })) void _;
      });
      expect(streamed.status).toBe(503);
    });

    it("raises an error event sent after HTTP 200 mid-stream", async () => {
      fake.enqueue(streamErrorReply(1));
      const texts: string[] = [];
      const error = await (async () => {
        for await (const chunk of await ai.models.generateContentStream({ model, contents: "hi" })) texts.push(chunk.text ?? "");
      })().catch((e) => e);
      expect(texts).toEqual(["Half an "]);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(503);
    });

    it("refuses what Google's parser refuses: unknown fields, bad roles, bad base64, non-object function responses, unknown models", async () => {
      const post = (body: unknown, path = `/v1beta/models/${model}:generateContent`) =>
        fetch(`${fake.origin}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-goog-api-key": FAKE_GEMINI_API_KEY }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { message: string; status: string } } }));
      const user = { role: "user", parts: [{ text: "hi" }] };
      const cases: Array<[unknown, string]> = [
        [{ contents: [user], messages: [] }, 'Unknown name "messages"'],
        [{ contents: [user], generationConfig: { max_tokens: 5 } }, 'Unknown name "max_tokens" at \'generation_config\''],
        [{ contents: [{ role: "assistant", parts: [{ text: "x" }] }] }, "valid role"],
        [{ contents: [{ role: "user", parts: [{ inlineData: { mimeType: "image/png", data: "data:image/png;base64,AAAA" } }] }] }, "Base64 decoding failed"],
        [{ contents: [user, { role: "model", parts: [{ functionCall: { name: "f", args: {} } }] }, { role: "user", parts: [{ functionResponse: { name: "f", response: "sunny" } }] }] }, "function_response.response"],
        [{ contents: [] }, "contents is not specified"],
      ];
      for (const [body, message] of cases) {
        const answer = await post(body);
        expect(answer.status, message).toBe(400);
        expect(answer.body.error).toMatchObject({ status: "INVALID_ARGUMENT", message: expect.stringContaining(message) });
      }
      const thinking = { thinkingConfig: { thinkingLevel: "high", thinkingBudget: 1024 } };
      expect((await post({ contents: [user], generationConfig: thinking })).body.error.message).toContain("only one of thinking budget and thinking level");
      const off = { contents: [user], generationConfig: { thinkingConfig: { thinkingBudget: 0 } } };
      expect((await post(off, "/v1beta/models/gemini-2.5-pro:generateContent")).body.error.message).toBe("Budget 0 is invalid. This model only works in thinking mode.");
      expect((await post(off, "/v1beta/models/gemini-2.5-flash:generateContent")).status).toBe(200);
      // snake_case names are Google's too.
      expect((await post({ contents: [user], generation_config: { max_output_tokens: 5 }, system_instruction: { parts: [{ text: "x" }] } })).status).toBe(200);

      const picky = await startFakeGemini({ models: [model] });
      try {
        const other = new GoogleGenAI({ apiKey: FAKE_GEMINI_API_KEY, httpOptions: { baseUrl: picky.origin, apiVersion: "v1beta" } });
        const missing = await failure(() => other.models.generateContent({ model: "gemini-0", contents: "hi" }));
        expect(missing.status).toBe(404);
        expect(missing.body.error).toMatchObject({ status: "NOT_FOUND", message: expect.stringContaining("models/gemini-0 is not found for API version v1beta") });
      } finally {
        await picky.close();
      }
    });

    it("hangs and drops on request", async () => {
      fake.enqueue({ kind: "drop" });
      const dropped = await ai.models.generateContent({ model, contents: "hi" }).catch((e) => e);
      expect(dropped).toBeInstanceOf(Error);
      expect(dropped).not.toBeInstanceOf(ApiError);

      fake.enqueue({ kind: "hang", afterChunks: 1 });
      const controller = new AbortController();
      const texts: string[] = [];
      const hung = (async () => {
        for await (const chunk of await ai.models.generateContentStream({ model, contents: "hang on", config: { abortSignal: controller.signal } })) {
          texts.push(chunk.text ?? "");
          controller.abort();
        }
      })().catch((e) => e);
      expect(await hung).toBeInstanceOf(Error);
      expect(texts).toEqual(["You said: "]);
      await new Promise((r) => setTimeout(r, 50));
      expect(fake.received.at(-1)!.aborted).toBe(true);
    });
  });
});
