import { describe, expect, it } from "vitest";
import { SseTextCollector } from "@/components/docs/sse-text";
import { EXAMPLES } from "@/lib/docs/examples";
import { DOCS_ENDPOINTS, findEndpoint, paramGroup, parameterRows, typeOf } from "@/lib/docs/reference";
import { v1Headers } from "@/lib/docs/request-headers";
import { countTokensRequestSchema, messagesRequestSchema } from "@/lib/schemas/messages";
import { referenceSnippets } from "@/lib/docs/snippets";
import { parseTryTarget } from "@/lib/docs/try-target";
import { sandboxEmbedding } from "@/lib/gateway/providers/sandbox/embedding";
import { openApiDocument } from "@/lib/openapi/document";
import { chatCompletionRequestSchema } from "@/lib/schemas/chat-completions";
import { responsesRequestSchema } from "@/lib/schemas/responses";
import en from "@/messages/en";

const document = openApiDocument("https://api.example.com");

describe("docs reference", () => {
  it("documents every /v1 route of the OpenAPI document", () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      ["get", "post", "delete"].filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(DOCS_ENDPOINTS.map((e) => `${e.method} ${e.openapiPath}`).sort()).toEqual(operations.sort());
  });

  it("builds the parameter tables from the request schemas, with types, required flags, defaults and descriptions", () => {
    const chat = parameterRows(document, findEndpoint("chat-completions")!);
    expect(chat.map((r) => r.name)).toEqual(Object.keys(chatCompletionRequestSchema.shape));
    expect(chat.find((r) => r.name === "model")).toMatchObject({ type: "string", required: true, location: "body" });
    expect(chat.find((r) => r.name === "temperature")).toMatchObject({ type: "number | null", required: false, defaultValue: "1", constraints: [{ kind: "range", min: 0, max: 2 }] });
    expect(chat.find((r) => r.name === "stop")!.type).toBe("string | array<string> | null");
    expect(chat.find((r) => r.name === "tool_choice")!.constraints).toContainEqual({ kind: "enum", values: '"none", "auto", "required"' });
    expect(chat.find((r) => r.name === "max_tokens")!.constraints).toEqual([{ kind: "min", min: 1 }]);

    const responses = parameterRows(document, findEndpoint("responses")!);
    expect(responses.map((r) => r.name)).toEqual(Object.keys(responsesRequestSchema.shape));
    const items = parameterRows(document, findEndpoint("responses-input-items")!);
    expect(items.map((r) => `${r.location}:${r.name}`)).toEqual(["path:response_id", "query:limit", "query:order", "query:after"]);
    expect(items.find((r) => r.name === "limit")).toMatchObject({ defaultValue: "20", required: false });
    expect(typeOf({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe("string | null");

    // Anthropic's Messages: the body fields are the schema's, besides the headers and ?beta the SDKs send.
    const messages = parameterRows(document, findEndpoint("messages")!);
    expect(messages.filter((r) => r.location === "body").map((r) => r.name)).toEqual(Object.keys(messagesRequestSchema.shape));
    expect(messages.filter((r) => r.location !== "body").map((r) => `${r.location}:${r.name}`)).toEqual(["header:anthropic-version", "header:anthropic-beta", "query:beta"]);
    expect(messages.find((r) => r.name === "max_tokens")).toMatchObject({ required: true, constraints: [{ kind: "min", min: 1 }] });
    expect(messages.find((r) => r.name === "temperature")!.constraints).toEqual([{ kind: "range", min: 0, max: 1 }]);
    const count = parameterRows(document, findEndpoint("messages-count-tokens")!);
    expect(count.filter((r) => r.location === "body").map((r) => r.name)).toEqual(Object.keys(countTokensRequestSchema.shape));
    expect(count.map((r) => r.name)).not.toContain("max_tokens");
  });

  it("has a description in the catalog for every parameter (English falls back to the schema only for new fields)", () => {
    const params = en.docs.params as unknown as Record<string, Record<string, string>>;
    for (const endpoint of DOCS_ENDPOINTS) {
      for (const row of parameterRows(document, endpoint)) {
        expect(params[paramGroup(endpoint, row.location)]![row.name], `${endpoint.slug} ${row.name}`).toBeTruthy();
        expect(row.description, `${endpoint.slug} ${row.name}`).toBeTruthy();
      }
    }
  });

  it("writes snippets for every endpoint with the base URL and key, and the AI SDK for the generation endpoints", () => {
    for (const endpoint of DOCS_ENDPOINTS) {
      const snippets = referenceSnippets(endpoint.slug, "https://api.example.com", "sk-test");
      const languages = snippets.map((s) => s.language);
      expect(languages).toEqual(endpoint.bodySchema && endpoint.slug !== "messages-count-tokens" ? ["curl", "python", "node", "aiSdk"] : ["curl", "python", "node"]);
      for (const snippet of snippets) {
        // Anthropic's SDKs take the origin (they add /v1/messages); every other client the /v1 base URL.
        const anthropicSdk = endpoint.protocol === "anthropic" && (snippet.language === "python" || snippet.language === "node");
        expect(snippet.code).toContain(anthropicSdk ? '"https://api.example.com"' : "https://api.example.com/v1");
        if (anthropicSdk) expect(snippet.code).not.toContain("https://api.example.com/v1");
        expect(snippet.code).toContain("sk-test");
      }
      // Every example request is one "Try it" may send.
      const example = EXAMPLES[endpoint.slug];
      expect(() => parseTryTarget({ method: example.method, path: `/v1${example.path}`, body: example.body }, { invalidTarget: "x", bodyNotObject: "y" })).not.toThrow();
    }
  });

  it("calls the Messages endpoints the Anthropic way: x-api-key and anthropic-version, in curl, the SDKs and Try it", () => {
    const [curl, python, node] = referenceSnippets("messages", "https://api.example.com", "sk-test", { ...EXAMPLES.messages.body, stream: true });
    expect(curl!.code).toContain('curl -N "https://api.example.com/v1/messages"');
    expect(curl!.code).toContain('-H "x-api-key: sk-test"');
    expect(curl!.code).toContain('-H "anthropic-version: 2023-06-01"');
    expect(curl!.code).not.toContain("Bearer");
    expect(python!.code).toContain('anthropic.Anthropic(base_url="https://api.example.com", api_key="sk-test")');
    expect(python!.code).toContain("stream=True");
    expect(node!.code).toContain('new Anthropic({ baseURL: "https://api.example.com", apiKey: "sk-test" })');
    expect(node!.code).toContain("text_delta");
    const [countCurl, countPython, countNode] = referenceSnippets("messages-count-tokens", "https://api.example.com", "sk-test");
    expect(countCurl!.code).toContain('"https://api.example.com/v1/messages/count_tokens"');
    expect(countPython!.code).toContain("client.messages.count_tokens(");
    expect(countNode!.code).toContain("client.messages.countTokens(");

    expect(v1Headers("/v1/messages", "sk-1", true)).toEqual({ "x-api-key": "sk-1", "anthropic-version": "2023-06-01", "content-type": "application/json" });
    expect(v1Headers("/v1/messages/count_tokens?beta=true", "sk-1", true)).toMatchObject({ "x-api-key": "sk-1" });
    expect(v1Headers("/v1/chat/completions", "sk-1", true)).toEqual({ authorization: "Bearer sk-1", "content-type": "application/json" });
    expect(v1Headers("/v1/models", "sk-1", false)).toEqual({ authorization: "Bearer sk-1" });
    const messages = { invalidTarget: "bad target", bodyNotObject: "bad body" };
    expect(parseTryTarget({ method: "POST", path: "/v1/messages?beta=true", body: {} }, messages).path).toBe("/v1/messages?beta=true");
    expect(() => parseTryTarget({ method: "GET", path: "/v1/messages" }, messages)).toThrow("bad target");
    expect(() => parseTryTarget({ method: "POST", path: "/v1/messages/batches", body: {} }, messages)).toThrow("bad target");
  });

  it("collects streamed text from Chat Completions chunks, Responses and Messages events split anywhere", () => {
    const chat = `${EXAMPLES["chat-completions"].stream}`;
    const collector = new SseTextCollector();
    for (let i = 0; i < chat.length; i += 7) collector.push(chat.slice(i, i + 7));
    expect(collector.text).toBe('You said: "Hello!". (sandbox-chat');
    const responses = new SseTextCollector();
    responses.push(EXAMPLES.responses.stream!);
    expect(responses.text).toBe("You said:");
    const anthropic = new SseTextCollector();
    const stream = EXAMPLES.messages.stream!;
    for (let i = 0; i < stream.length; i += 5) anthropic.push(stream.slice(i, i + 5));
    expect(anthropic.text).toBe('You said: "Hello!".');
  });

  it("documents embeddings with the sandbox's real answer and the AI SDK's embed", () => {
    const rows = parameterRows(openApiDocument("https://api.example.com"), findEndpoint("embeddings")!);
    expect(rows.map((r) => r.name)).toEqual(["model", "input", "dimensions", "encoding_format", "user", "stream"]);
    expect(rows.find((r) => r.name === "encoding_format")).toMatchObject({ constraints: [{ kind: "enum", values: '"float", "base64"' }], defaultValue: '"float"' });
    const aiSdk = referenceSnippets("embeddings", "https://api.example.com", "sk-test").find((s) => s.language === "aiSdk")!;
    expect(aiSdk.code).toContain('rootapi.embedding("sandbox-embedding")');
    expect(aiSdk.code).toContain("dimensions: 8");
    const vector = (EXAMPLES.embeddings.response as { data: Array<{ embedding: number[] }> }).data[0]!.embedding;
    expect(Array.from(sandboxEmbedding("Hello!", 8), (v) => Number(v.toPrecision(9)))).toEqual(vector);
  });

  it("refuses try-it targets outside the documented endpoints", () => {
    const messages = { invalidTarget: "bad target", bodyNotObject: "bad body" };
    for (const target of [
      { method: "GET", path: "/api/keys" },
      { method: "GET", path: "/v1/models/../../api/keys" },
      { method: "GET", path: "/v1/models/a%2F..%2Fb" },
      { method: "POST", path: "/v1/models" },
      { method: "PATCH", path: "/v1/responses" },
    ]) {
      expect(() => parseTryTarget(target, messages), JSON.stringify(target)).toThrow("bad target");
    }
    expect(() => parseTryTarget({ method: "POST", path: "/v1/responses", body: "hi" }, messages)).toThrow("bad body");
    expect(parseTryTarget({ method: "POST", path: "/v1/embeddings", body: { model: "sandbox-embedding", input: "hi" } }, messages).path).toBe("/v1/embeddings");
    expect(() => parseTryTarget({ method: "GET", path: "/v1/embeddings" }, messages)).toThrow("bad target");
    expect(parseTryTarget({ method: "GET", path: "/v1/dashboard/billing/usage?start_date=2026-01-01" }, messages).path).toBe("/v1/dashboard/billing/usage?start_date=2026-01-01");
  });
});
