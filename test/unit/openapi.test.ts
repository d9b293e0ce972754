import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openApiDocument } from "@/lib/openapi/document";
import { chatCompletionRequestSchema } from "@/lib/schemas/chat-completions";
import { countTokensRequestSchema, messagesRequestSchema } from "@/lib/schemas/messages";
import { embeddingsRequestSchema } from "@/lib/schemas/embeddings";

describe("OpenAPI document", () => {
  const document = openApiDocument("https://api.example.com");

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("describes the request bodies with the schemas that validate them", () => {
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> }).schemas;
    const chat = schemas.CreateChatCompletionRequest!;
    expect(chat.required).toEqual(expect.arrayContaining(["model", "messages"]));
    expect(Object.keys(chat.properties)).toEqual(Object.keys(chatCompletionRequestSchema.shape));
    expect(schemas.CreateResponseRequest!.required).toContain("model");
    expect(Object.keys(document.paths as object)).toEqual(
      expect.arrayContaining(["/chat/completions", "/responses", "/responses/{response_id}", "/responses/{response_id}/input_items", "/models", "/models/{model}"]),
    );
  });

  it("describes Anthropic's Messages endpoints: bodies from their schemas, Message and count answers, Anthropic's errors, x-api-key or bearer", () => {
    type Op = { security: unknown; requestBody: { content: { "application/json": { schema: { $ref: string } } } }; responses: Record<string, { content: { "application/json": { schema: { $ref: string } } } }> };
    const paths = document.paths as Record<string, { post: Op }>;
    const components = document.components as { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }>; securitySchemes: Record<string, unknown> };
    const messages = paths["/messages"]!.post;
    const count = paths["/messages/count_tokens"]!.post;
    expect(messages.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/CreateMessageRequest");
    expect(count.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/CountMessageTokensRequest");
    expect(Object.keys(components.schemas.CreateMessageRequest!.properties)).toEqual(Object.keys(messagesRequestSchema.shape));
    expect(components.schemas.CreateMessageRequest!.required).toEqual(expect.arrayContaining(["model", "messages", "max_tokens"]));
    expect(Object.keys(components.schemas.CountMessageTokensRequest!.properties)).toEqual(Object.keys(countTokensRequestSchema.shape));
    expect(messages.responses["200"]!.content["application/json"].schema.$ref).toBe("#/components/schemas/Message");
    expect(count.responses["200"]!.content["application/json"].schema.$ref).toBe("#/components/schemas/MessageTokensCount");
    expect(components.schemas.MessageTokensCount!.required).toEqual(["input_tokens"]);
    expect(Object.keys(messages.responses).sort()).toEqual(["200", "400", "401", "402", "403", "404", "413", "429", "500", "502", "503", "504", "529"]);
    expect(messages.responses["402"]!.content["application/json"].schema.$ref).toBe("#/components/schemas/AnthropicErrorResponse");
    expect(JSON.stringify(messages.responses["402"])).toContain("billing_error");
    // Counting is free: never a 402.
    expect(Object.keys(count.responses).sort()).toEqual(["200", "400", "401", "403", "404", "413", "429", "500", "502", "503", "504", "529"]);
    for (const op of [messages, count]) {
      expect(op.responses["404"]!.content["application/json"].schema.$ref).toBe("#/components/schemas/AnthropicErrorResponse");
      expect(op.security).toEqual([{ apiKeyAuth: [] }, { bearerAuth: [] }]);
    }
    expect(components.securitySchemes.apiKeyAuth).toMatchObject({ type: "apiKey", in: "header", name: "x-api-key" });
    expect(components.schemas.AnthropicErrorResponse!.required).toEqual(["type", "error"]);
  });

  it("describes /embeddings: the body from its schema with OpenAI's limits, the list answer, OpenAI's errors", () => {
    type Op = { security?: unknown; requestBody: { content: { "application/json": { schema: { $ref: string } } } }; responses: Record<string, { content: { "application/json": { schema: { $ref: string } } } }> };
    const embeddings = (document.paths as Record<string, { post: Op }>)["/embeddings"]!.post;
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, any>; required: string[] }> }).schemas;
    expect(embeddings.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/CreateEmbeddingRequest");
    const body = schemas.CreateEmbeddingRequest!;
    expect(Object.keys(body.properties)).toEqual(Object.keys(embeddingsRequestSchema.shape));
    expect(body.required).toEqual(expect.arrayContaining(["model", "input"]));
    expect(body.properties.encoding_format).toMatchObject({ enum: ["float", "base64"], default: "float" });
    expect(body.properties.dimensions).toMatchObject({ minimum: 1 });
    expect(JSON.stringify(body.properties.input)).toContain('"minLength":1');
    expect(body.properties.input.description).toContain("2048");
    expect(embeddings.security).toBeUndefined();
    expect(embeddings.responses["200"]!.content["application/json"].schema.$ref).toBe("#/components/schemas/EmbeddingList");
    expect(schemas.EmbeddingList!.required).toEqual(["object", "data", "model", "usage"]);
    expect(Object.keys(embeddings.responses).sort()).toEqual(["200", "400", "401", "402", "403", "404", "413", "429", "500", "502", "503", "504"]);
    expect(embeddings.responses["400"]!.content["application/json"].schema.$ref).toBe("#/components/schemas/ErrorResponse");
  });

  it("lists per operation only the errors it can give: no 402 where nothing is billed, no 404 where nothing is looked up", () => {
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, { description: string; content?: { "application/json": { schema: { $ref: string } } } }> }>>;
    const errorsOf = (path: string, method: string) => Object.keys(paths[path]![method]!.responses).filter((s) => Number(s) >= 400).sort();
    const billed = ["400", "401", "402", "403", "404", "413", "429", "500", "502", "503", "504"];
    expect(errorsOf("/chat/completions", "post")).toEqual(billed);
    expect(errorsOf("/responses", "post")).toEqual(billed);
    expect(errorsOf("/models", "get")).toEqual(["401", "500"]);
    expect(errorsOf("/models/{model}", "get")).toEqual(["401", "404", "500"]);
    expect(errorsOf("/responses/{response_id}", "get")).toEqual(["401", "404", "500"]);
    expect(errorsOf("/responses/{response_id}", "delete")).toEqual(["401", "404", "500"]);
    expect(errorsOf("/responses/{response_id}/input_items", "get")).toEqual(["400", "401", "404", "500"]);
    expect(errorsOf("/dashboard/billing/subscription", "get")).toEqual(["401", "500"]);
    expect(errorsOf("/dashboard/billing/usage", "get")).toEqual(["400", "401", "500"]);
    expect(paths["/responses/{response_id}"]!.get!.responses["404"]!.description).toContain("stored response");
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters") continue;
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const ref = response.content!["application/json"].schema.$ref;
          expect(ref, `${method} ${path} ${status}`).toBe(path.startsWith("/messages") ? "#/components/schemas/AnthropicErrorResponse" : "#/components/schemas/ErrorResponse");
        }
      }
    }
  });
});
