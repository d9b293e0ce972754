import { z } from "zod";
import { chatCompletionRequestSchema } from "../schemas/chat-completions";
import { responsesRequestSchema } from "../schemas/responses";
import { CHAT_COMPLETION_FIELDS, RESPONSE_FIELDS, annotateParameter, annotateProperties, type FieldNotes } from "./annotations";

/**
 * The OpenAPI 3.1 description of our /v1 API. Request bodies come from the very zod schemas that
 * validate requests, so the document cannot drift from what the gateway accepts.
 */
type Json = Record<string, unknown>;

function requestSchema(schema: z.ZodType, notes: FieldNotes): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as Json;
  return annotateProperties(rest, notes);
}

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } } });

const ERRORS = {
  "400": errorResponse("Invalid request (the `param` names the offending field)."),
  "401": errorResponse("Missing, unknown, revoked or expired API key."),
  "402": errorResponse("Insufficient balance or key budget (`insufficient_quota`)."),
  "403": errorResponse("Model not allowed for this key."),
  "404": errorResponse("Unknown model or resource."),
  "413": errorResponse("Request body too large."),
  "429": errorResponse("Rate limited; see the `retry-after` header."),
  "502": errorResponse("Upstream failure after retries."),
  "503": errorResponse("No channel available."),
  "504": errorResponse("Upstream timeout."),
};

/** A path or query parameter, with its description from the annotations. */
const param = annotateParameter;

const object = (description: string) => ({ type: "object", description, additionalProperties: true });

export function openApiDocument(origin: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "RootAPI",
      version: "1.0.0",
      description: "An OpenAI-compatible API: point the official SDKs at this base URL with one of your RootAPI keys.",
    },
    servers: [{ url: `${origin}/v1` }],
    security: [{ bearerAuth: [] }],
    paths: {
      "/chat/completions": {
        post: {
          operationId: "createChatCompletion",
          summary: "Create a chat completion (streaming with `stream: true`).",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateChatCompletionRequest" } } } },
          responses: {
            "200": {
              description: "A chat completion, or server-sent `chat.completion.chunk` events ending with `data: [DONE]`.",
              content: { "application/json": { schema: object("A chat.completion object, as OpenAI returns it.") }, "text/event-stream": { schema: { type: "string" } } },
            },
            ...ERRORS,
          },
        },
      },
      "/responses": {
        post: {
          operationId: "createResponse",
          summary: "Create a model response (stateful with previous_response_id; streaming with `stream: true`).",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateResponseRequest" } } } },
          responses: {
            "200": {
              description: "A response object, or server-sent Responses events.",
              content: { "application/json": { schema: object("A response object.") }, "text/event-stream": { schema: { type: "string" } } },
            },
            ...ERRORS,
          },
        },
      },
      "/responses/{response_id}": {
        parameters: [param({ name: "response_id", in: "path", required: true, schema: { type: "string" } })],
        get: { operationId: "getResponse", summary: "Retrieve a stored response.", responses: { "200": { description: "The response.", content: { "application/json": { schema: object("A response object.") } } }, "404": ERRORS["404"] } },
        delete: {
          operationId: "deleteResponse",
          summary: "Delete a stored response.",
          responses: { "200": { description: "Deleted.", content: { "application/json": { schema: object("{ id, object: 'response', deleted: true }") } } }, "404": ERRORS["404"] },
        },
      },
      "/responses/{response_id}/input_items": {
        get: {
          operationId: "listInputItems",
          summary: "List a response's input items.",
          parameters: [
            param({ name: "response_id", in: "path", required: true, schema: { type: "string" } }),
            param({ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } }),
            param({ name: "order", in: "query", schema: { type: "string", enum: ["asc", "desc"], default: "desc" } }),
            param({ name: "after", in: "query", schema: { type: "string" } }),
          ],
          responses: { "200": { description: "A page of input items.", content: { "application/json": { schema: object("{ object: 'list', data, first_id, last_id, has_more }") } } }, "404": ERRORS["404"] },
        },
      },
      "/models": {
        get: { operationId: "listModels", summary: "The models this key may call.", responses: { "200": { description: "A list of models.", content: { "application/json": { schema: { $ref: "#/components/schemas/ModelList" } } } }, "401": ERRORS["401"] } },
      },
      "/models/{model}": {
        get: {
          operationId: "retrieveModel",
          summary: "One model.",
          parameters: [param({ name: "model", in: "path", required: true, schema: { type: "string" } })],
          responses: { "200": { description: "The model.", content: { "application/json": { schema: { $ref: "#/components/schemas/Model" } } } }, "404": ERRORS["404"] },
        },
      },
      "/dashboard/billing/subscription": {
        get: { operationId: "billingSubscription", summary: "one-api compatible: what the key can spend (hard_limit_usd).", responses: { "200": { description: "Subscription.", content: { "application/json": { schema: object("billing_subscription") } } } } },
      },
      "/dashboard/billing/usage": {
        get: {
          operationId: "billingUsage",
          summary: "one-api compatible: spend in cents.",
          parameters: [
            param({ name: "start_date", in: "query", schema: { type: "string", format: "date" } }),
            param({ name: "end_date", in: "query", schema: { type: "string", format: "date" } }),
          ],
          responses: { "200": { description: "Usage.", content: { "application/json": { schema: object("{ object: 'list', total_usage }") } } } },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "A RootAPI key (sk-…)." } },
      schemas: {
        CreateChatCompletionRequest: requestSchema(chatCompletionRequestSchema, CHAT_COMPLETION_FIELDS),
        CreateResponseRequest: requestSchema(responsesRequestSchema, RESPONSE_FIELDS),
        Model: {
          type: "object",
          required: ["id", "object", "created", "owned_by"],
          properties: { id: { type: "string" }, object: { const: "model" }, created: { type: "integer" }, owned_by: { type: "string" } },
        },
        ModelList: { type: "object", required: ["object", "data"], properties: { object: { const: "list" }, data: { type: "array", items: { $ref: "#/components/schemas/Model" } } } },
        ErrorResponse: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["message", "type", "param", "code"],
              properties: { message: { type: "string" }, type: { type: "string" }, param: { type: ["string", "null"] }, code: { type: ["string", "null"] } },
            },
          },
        },
      },
    },
  };
}
