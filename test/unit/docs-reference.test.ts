import { describe, expect, it } from "vitest";
import { SseTextCollector } from "@/components/docs/sse-text";
import { EXAMPLES } from "@/lib/docs/examples";
import { DOCS_ENDPOINTS, findEndpoint, parameterRows, typeOf } from "@/lib/docs/reference";
import { referenceSnippets } from "@/lib/docs/snippets";
import { parseTryTarget } from "@/lib/docs/try-target";
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
  });

  it("has a description in the catalog for every parameter (English falls back to the schema only for new fields)", () => {
    const params = en.docs.params as unknown as Record<string, Record<string, string>>;
    for (const endpoint of DOCS_ENDPOINTS) {
      for (const row of parameterRows(document, endpoint)) {
        const group = row.location === "body" ? (endpoint.bodySchema === "CreateResponseRequest" ? "responses" : "chat") : "path";
        expect(params[group]![row.name], `${endpoint.slug} ${row.name}`).toBeTruthy();
        expect(row.description, `${endpoint.slug} ${row.name}`).toBeTruthy();
      }
    }
  });

  it("writes snippets for every endpoint with the base URL and key, and the AI SDK for the generation endpoints", () => {
    for (const endpoint of DOCS_ENDPOINTS) {
      const snippets = referenceSnippets(endpoint.slug, "https://api.example.com", "sk-test");
      const languages = snippets.map((s) => s.language);
      expect(languages).toEqual(endpoint.bodySchema ? ["curl", "python", "node", "aiSdk"] : ["curl", "python", "node"]);
      for (const snippet of snippets) {
        expect(snippet.code).toContain("https://api.example.com/v1");
        expect(snippet.code).toContain("sk-test");
      }
      // Every example request is one "Try it" may send.
      const example = EXAMPLES[endpoint.slug];
      expect(() => parseTryTarget({ method: example.method, path: `/v1${example.path}`, body: example.body }, { invalidTarget: "x", bodyNotObject: "y" })).not.toThrow();
    }
  });

  it("collects streamed text from Chat Completions chunks and Responses events split anywhere", () => {
    const chat = `${EXAMPLES["chat-completions"].stream}`;
    const collector = new SseTextCollector();
    for (let i = 0; i < chat.length; i += 7) collector.push(chat.slice(i, i + 7));
    expect(collector.text).toBe('You said: "Hello!". (sandbox-chat');
    const responses = new SseTextCollector();
    responses.push(EXAMPLES.responses.stream!);
    expect(responses.text).toBe("You said:");
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
    expect(parseTryTarget({ method: "GET", path: "/v1/dashboard/billing/usage?start_date=2026-01-01" }, messages).path).toBe("/v1/dashboard/billing/usage?start_date=2026-01-01");
  });
});
