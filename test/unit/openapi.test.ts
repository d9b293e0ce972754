import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openApiDocument } from "@/lib/openapi/document";
import { chatCompletionRequestSchema } from "@/lib/schemas/chat-completions";

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
});
