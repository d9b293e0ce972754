import { describe, expect, it } from "vitest";
import { Untranslatable } from "@/lib/gateway/translate/hub";
import { chatToGemini, SKIP_SIGNATURE, thinkingConfig } from "@/lib/gateway/translate/gemini/chat-to-gemini";
import { toGeminiSchema } from "@/lib/gateway/translate/gemini/schema";

/** Chat Completions requests (the hub) → Gemini generateContent bodies. */

const translate = (body: Record<string, unknown>, model = "gemini-2.5-flash") => chatToGemini({ model, ...body }, { model });

function refusal(body: Record<string, unknown>, model?: string): Untranslatable {
  try {
    translate(body, model);
  } catch (error) {
    if (error instanceof Untranslatable) return error;
    throw error;
  }
  throw new Error("expected Untranslatable");
}

describe("chatToGemini: messages", () => {
  it("system and developer messages join systemInstruction; user/assistant become user/model turns; no model in the body", () => {
    const body = translate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "assistant", content: "Bonjour" },
        { role: "user", content: [{ type: "text", text: "Again" }, { type: "text", text: "please" }] },
      ],
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: "Be brief.\n\nAnswer in French." }] },
      contents: [
        { role: "user", parts: [{ text: "Hi" }] },
        { role: "model", parts: [{ text: "Bonjour" }] },
        { role: "user", parts: [{ text: "Again" }, { text: "please" }] },
      ],
    });
  });

  it("consecutive messages of one role merge into one turn; empty text is not sent", () => {
    const body = translate({ messages: [{ role: "user", content: "a" }, { role: "user", content: "" }, { role: "user", content: "b" }] });
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "a" }, { text: "b" }] }]);
  });

  it("images: data URLs inline, http(s) URLs with an image extension as fileData, others refused with a 400-style error", () => {
    const body = translate({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.JPG?size=large", detail: "high" } },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: "user",
        parts: [{ text: "Compare" }, { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }, { fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/cat.JPG?size=large" } }],
      },
    ]);
    const noType = refusal({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/image?id=3" } }] }] });
    expect(noType.param).toBe("messages[0].content[0].image_url.url");
    expect(noType.message).toMatch(/data URL/);
    expect(refusal({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://example.com/a.png" } }] }] }).param).toBe("messages[0].content[0].image_url.url");
  });

  it("inline files and input_audio go as inlineData; a file by id is refused", () => {
    const body = translate({
      messages: [
        {
          role: "user",
          content: [
            { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "mp3" } },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([{ role: "user", parts: [{ inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } }, { inlineData: { mimeType: "audio/mp3", data: "UklGRg==" } }] }]);
    expect(refusal({ messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] }] }).param).toBe("messages[0].content[0].file");
  });

  it("refuses n > 1, logprobs, audio output and unknown roles", () => {
    expect(refusal({ n: 2, messages: [] }).param).toBe("n");
    expect(refusal({ logprobs: true, messages: [] }).param).toBe("logprobs");
    expect(refusal({ modalities: ["text", "audio"], messages: [] }).param).toBe("modalities");
    expect(refusal({ messages: [{ role: "function", content: "x" }] }).param).toBe("messages[0].role");
  });
});

describe("chatToGemini: tools and the tool loop", () => {
  const tool = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city",
      strict: true,
      parameters: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        additionalProperties: false,
        properties: {
          city: { type: "string", description: "City name" },
          unit: { type: ["string", "null"], enum: ["celsius", "fahrenheit"] },
          days: { anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }] },
          tags: { type: "array", items: { type: "string", const: "x" } },
        },
        required: ["city", "unit", "days", "tags"],
      },
    },
  };

  it("declares functions with the schema reduced to Gemini's subset; a function without parameters declares none", () => {
    const body = translate({ messages: [{ role: "user", content: "Weather?" }], tools: [tool, { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } }] });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather for a city",
            parameters: {
              type: "OBJECT",
              properties: {
                city: { type: "STRING", description: "City name" },
                unit: { type: "STRING", nullable: true, enum: ["celsius", "fahrenheit"] },
                days: { type: "INTEGER", minimum: 1, nullable: true },
                tags: { type: "ARRAY", items: { type: "STRING", enum: ["x"] } },
              },
              required: ["city", "unit", "days", "tags"],
            },
          },
          { name: "now" },
        ],
      },
    ]);
  });

  it("maps tool_choice to functionCallingConfig", () => {
    const config = (tool_choice: unknown) => translate({ messages: [{ role: "user", content: "x" }], tools: [tool], tool_choice }).toolConfig;
    expect(config(undefined)).toBeUndefined();
    expect(config("auto")).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    expect(config("required")).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(config("none")).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(config({ type: "function", function: { name: "get_weather" } })).toEqual({ functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } });
    expect(config({ type: "allowed_tools", allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "get_weather" } }] } })).toEqual({
      functionCallingConfig: { mode: "AUTO", allowedFunctionNames: ["get_weather"] },
    });
    expect(refusal({ messages: [], tools: [{ type: "web_search" }] }).param).toBe("tools[0].type");
  });

  it("assistant tool calls carry their thought signatures back; tool results become functionResponse parts named by the call", () => {
    const body = translate(
      {
        messages: [
          { role: "user", content: "Weather in Paris and London?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: "SIG-1" } } },
              { id: "call_b", type: "function", function: { name: "get_time", arguments: "not json" } },
            ],
          },
          { role: "tool", tool_call_id: "call_a", content: '{"temp":21}' },
          { role: "tool", tool_call_id: "call_b", content: "12:00" },
          { role: "user", content: "Thanks" },
        ],
      },
      "gemini-3-pro-preview",
    );
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris and London?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "SIG-1" },
          { functionCall: { name: "get_time", args: {} } },
        ],
      },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 21 } } }, { functionResponse: { name: "get_time", response: { result: "12:00" } } }, { text: "Thanks" }] },
    ]);
  });

  it("Gemini 3: a turn of calls made without signatures gets Google's documented skip value on its first call; other models get none", () => {
    const messages = [
      { role: "user", content: "x" },
      { role: "assistant", content: "Checking.", tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }, { id: "c2", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c1", content: "[1,2]" },
      { role: "tool", tool_call_id: "c2", content: "3" },
    ];
    const g3 = translate({ messages }, "gemini-3-flash-preview").contents as Array<{ parts: Record<string, unknown>[] }>;
    expect(g3[1]!.parts).toEqual([{ text: "Checking." }, { functionCall: { name: "f", args: {} }, thoughtSignature: SKIP_SIGNATURE }, { functionCall: { name: "f", args: {} } }]);
    expect(g3[2]!.parts).toEqual([{ functionResponse: { name: "f", response: { result: [1, 2] } } }, { functionResponse: { name: "f", response: { result: 3 } } }]);
    const g25 = translate({ messages }, "gemini-2.5-pro").contents as Array<{ parts: Record<string, unknown>[] }>;
    expect(g25[1]!.parts.some((part) => "thoughtSignature" in part)).toBe(false);
  });

  it("a tool result for a call no assistant message made is refused", () => {
    const error = refusal({ messages: [{ role: "user", content: "x" }, { role: "tool", tool_call_id: "call_missing", content: "1" }] });
    expect(error.param).toBe("messages[1].tool_call_id");
  });
});

describe("chatToGemini: generationConfig", () => {
  it("maps sampling, limits, stops and JSON modes", () => {
    const body = translate({
      messages: [{ role: "user", content: "x" }],
      temperature: 0.3,
      top_p: 0.9,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      max_tokens: 100,
      max_completion_tokens: 200,
      stop: "END",
      response_format: { type: "json_schema", json_schema: { name: "r", strict: true, schema: { type: "object", properties: { a: { type: "number" } }, required: ["a"], additionalProperties: false } } },
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.3,
      topP: 0.9,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      maxOutputTokens: 200,
      stopSequences: ["END"],
      responseMimeType: "application/json",
      responseSchema: { type: "OBJECT", properties: { a: { type: "NUMBER" } }, required: ["a"] },
    });
    expect(translate({ messages: [], max_tokens: 1, stop: ["a", "b"], response_format: { type: "json_object" } }).generationConfig).toEqual({ maxOutputTokens: 1, stopSequences: ["a", "b"], responseMimeType: "application/json" });
    expect(translate({ messages: [], response_format: { type: "text" } }).generationConfig).toBeUndefined();
  });

  it("reasoning_effort: thinking levels for Gemini 3, budgets for earlier models, with thought summaries", () => {
    expect(thinkingConfig("low", "gemini-3-pro-preview")).toEqual({ thinkingLevel: "low", includeThoughts: true });
    expect(thinkingConfig("minimal", "models/gemini-3-flash-preview")).toEqual({ thinkingLevel: "low", includeThoughts: true });
    expect(thinkingConfig("medium", "gemini-3-pro-preview")).toEqual({ thinkingLevel: "high", includeThoughts: true });
    expect(thinkingConfig("high", "gemini-2.5-pro")).toEqual({ thinkingBudget: 24576, includeThoughts: true });
    expect(thinkingConfig("low", "gemini-2.5-flash")).toEqual({ thinkingBudget: 4096, includeThoughts: true });
    expect(thinkingConfig("none", "gemini-2.5-flash")).toEqual({ thinkingBudget: 0 });
    expect(thinkingConfig("none", "gemini-2.5-pro")).toEqual({ thinkingBudget: 128 });
    expect(thinkingConfig("high", "gemini-2.0-flash")).toBeUndefined();
    expect(thinkingConfig(undefined, "gemini-2.5-flash")).toBeUndefined();
    expect(thinkingConfig("bogus", "gemini-2.5-flash")).toBeUndefined();
    expect(translate({ messages: [], reasoning_effort: "medium" }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 16384, includeThoughts: true } });
  });
});

describe("toGeminiSchema", () => {
  it("drops what Gemini refuses and keeps what it takes", () => {
    expect(toGeminiSchema({ type: "object", $schema: "x", $id: "y", additionalProperties: { type: "string" }, title: "T", properties: { n: { type: "number", format: "float", examples: [1], default: 2 } }, minProperties: 1 }, "p")).toEqual({
      type: "OBJECT",
      title: "T",
      minProperties: 1,
      properties: { n: { type: "NUMBER", format: "float", default: 2 } },
    });
    expect(toGeminiSchema({ oneOf: [{ type: "string" }, { type: "integer" }] }, "p")).toEqual({ anyOf: [{ type: "STRING" }, { type: "INTEGER" }] });
    expect(toGeminiSchema({ type: "integer", enum: [1, 2] }, "p")).toEqual({ type: "INTEGER" });
    expect(toGeminiSchema({ type: "object", properties: { at: { type: "string", format: "date-time" }, mail: { type: "string", format: "email" }, n: { type: "integer", format: "int64" } } }, "p")).toEqual({
      type: "OBJECT",
      properties: { at: { type: "STRING", format: "date-time" }, mail: { type: "STRING" }, n: { type: "INTEGER", format: "int64" } },
    });
  });

  it("writes local $defs out in place (as pydantic emits them)", () => {
    const schema = {
      $defs: { Address: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } },
      type: "object",
      properties: { home: { $ref: "#/$defs/Address", description: "Where they live" }, past: { type: "array", items: { $ref: "#/$defs/Address" } } },
    };
    const address = { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] };
    expect(toGeminiSchema(schema, "p")).toEqual({ type: "OBJECT", properties: { home: { ...address, description: "Where they live" }, past: { type: "ARRAY", items: address } } });
  });

  it("refuses missing, remote or recursive $refs and allOf, pointing at where they are", () => {
    expect(() => toGeminiSchema({ type: "object", properties: { a: { $ref: "#/$defs/A" } } }, "tools[0].function.parameters")).toThrow(Untranslatable);
    expect(() => toGeminiSchema({ $ref: "https://example.com/s.json" }, "p")).toThrow(/only local/);
    const tree = { $defs: { Node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } } } }, $ref: "#/$defs/Node" };
    expect(() => toGeminiSchema(tree, "p")).toThrow(/recursive/);
    try {
      toGeminiSchema({ type: "object", properties: { a: { allOf: [] } } }, "root");
    } catch (error) {
      expect((error as Untranslatable).param).toBe("root.properties.a");
    }
  });
});
