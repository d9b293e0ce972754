import { z } from "zod";
import { chatCompletionRequestSchema } from "../schemas/chat-completions";
import { embeddingsRequestSchema } from "../schemas/embeddings";
import { countTokensRequestSchema, messagesRequestSchema } from "../schemas/messages";
import { responsesRequestSchema } from "../schemas/responses";
import { ANTHROPIC_ERROR_TYPES } from "../docs/reference";
import { CHAT_COMPLETION_FIELDS, EMBEDDING_FIELDS, MESSAGE_FIELDS, RESPONSE_FIELDS, annotateParameter, annotateProperties, type FieldNotes } from "./annotations";

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
  "500": errorResponse("Unexpected server failure."),
  "502": errorResponse("Upstream failure after retries."),
  "503": errorResponse("No channel available."),
  "504": errorResponse("Upstream timeout."),
};

type ErrorStatus = keyof typeof ERRORS;

/** The error responses an operation can give: only those, so the docs list no error it cannot return. */
const errors = (statuses: ErrorStatus[], descriptions: Partial<Record<ErrorStatus, string>> = {}) =>
  Object.fromEntries(statuses.map((status) => [status, descriptions[status] ? errorResponse(descriptions[status]) : ERRORS[status]]));

/** A call to a model: validated, billed against a balance, rate limited, relayed upstream. */
const MODEL_CALL_ERRORS = errors(["400", "401", "402", "403", "404", "413", "429", "500", "502", "503", "504"]);
/** Stored responses are looked up by id among the key owner's own: no model, no balance, no upstream. */
const STORED_RESPONSE_ERRORS = errors(["401", "404", "500"], { "404": "No stored response with this id for this account." });

/** A path or query parameter, with its description from the annotations. */
const param = annotateParameter;

/** Anthropic's error body, with the `error.type` each status comes with (the Messages endpoints answer in Anthropic's shape). */
const anthropicError = (type: string, description: string) => ({
  description: `${description} (\`${type}\`)`,
  content: { "application/json": { schema: { $ref: "#/components/schemas/AnthropicErrorResponse" }, example: { type: "error", error: { type, message: description } } } },
});

const ANTHROPIC_ERROR_TEXTS: Record<(typeof ANTHROPIC_ERROR_TYPES)[number][0], string> = {
  400: "Invalid request body or parameters.",
  401: "Missing, unknown, revoked or expired API key.",
  402: "Insufficient balance or key budget.",
  403: "Model not allowed for this key.",
  404: "Unknown model.",
  413: "Request body too large.",
  429: "Rate limited; see the `retry-after` header.",
  500: "Unexpected failure.",
  502: "The upstream failed after retries.",
  503: "No channel available for the model right now.",
  504: "The upstream timed out.",
  529: "The upstream is overloaded.",
};

const anthropicErrors = (except: readonly number[] = []) =>
  Object.fromEntries(ANTHROPIC_ERROR_TYPES.filter(([status]) => !except.includes(status)).map(([status, type]) => [String(status), anthropicError(type, ANTHROPIC_ERROR_TEXTS[status])]));

/** Both ways the Anthropic SDKs send a key: `x-api-key` (the default) or a bearer token (ANTHROPIC_AUTH_TOKEN). */
const ANTHROPIC_SECURITY = [{ apiKeyAuth: [] }, { bearerAuth: [] }];

const anthropicParameters = [
  param({ name: "anthropic-version", in: "header", required: false, schema: { type: "string", example: "2023-06-01" } }),
  param({ name: "anthropic-beta", in: "header", required: false, schema: { type: "string" } }),
  param({ name: "beta", in: "query", required: false, schema: { type: "boolean" } }),
];

const object = (description: string) => ({ type: "object", description, additionalProperties: true });

export function openApiDocument(origin: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "RootAPI",
      version: "1.0.0",
      description: "An OpenAI-compatible API: point the official OpenAI SDKs at this base URL with one of your RootAPI keys. Anthropic's Messages API is served too (/v1/messages): Anthropic's SDKs and Claude Code take the origin, without /v1, as their base URL.",
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
            ...MODEL_CALL_ERRORS,
          },
        },
      },
      "/embeddings": {
        post: {
          operationId: "createEmbedding",
          summary: "Create embedding vectors for one or more inputs. Billed for the prompt tokens at the model's input price.",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateEmbeddingRequest" } } } },
          responses: {
            "200": { description: "The embeddings, in input order, and the prompt tokens used.", content: { "application/json": { schema: { $ref: "#/components/schemas/EmbeddingList" } } } },
            ...MODEL_CALL_ERRORS,
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
            ...MODEL_CALL_ERRORS,
          },
        },
      },
      "/messages": {
        parameters: anthropicParameters,
        post: {
          operationId: "createMessage",
          summary: "Create a message with Anthropic's Messages API (streaming with `stream: true`), on any model.",
          security: ANTHROPIC_SECURITY,
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateMessageRequest" } } } },
          responses: {
            "200": {
              description: "A Message, or server-sent events: message_start, content_block_start/delta/stop, message_delta, message_stop.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Message" } }, "text/event-stream": { schema: { type: "string" } } },
            },
            ...anthropicErrors(),
          },
        },
      },
      "/messages/count_tokens": {
        parameters: anthropicParameters,
        post: {
          operationId: "countMessageTokens",
          summary: "Count the input tokens of a Messages request without running it.",
          security: ANTHROPIC_SECURITY,
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CountMessageTokensRequest" } } } },
          responses: {
            "200": { description: "The input token count.", content: { "application/json": { schema: { $ref: "#/components/schemas/MessageTokensCount" } } } },
            // Counting is free: nothing is held against the balance, so never a 402.
            ...anthropicErrors([402]),
          },
        },
      },
      "/responses/{response_id}": {
        parameters: [param({ name: "response_id", in: "path", required: true, schema: { type: "string" } })],
        get: { operationId: "getResponse", summary: "Retrieve a stored response.", responses: { "200": { description: "The response.", content: { "application/json": { schema: object("A response object.") } } }, ...STORED_RESPONSE_ERRORS } },
        delete: {
          operationId: "deleteResponse",
          summary: "Delete a stored response.",
          responses: { "200": { description: "Deleted.", content: { "application/json": { schema: object("{ id, object: 'response', deleted: true }") } } }, ...STORED_RESPONSE_ERRORS },
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
          responses: {
            "200": { description: "A page of input items.", content: { "application/json": { schema: object("{ object: 'list', data, first_id, last_id, has_more }") } } },
            ...errors(["400", "401", "404", "500"], { "400": "Invalid `limit`, `order` or `after`.", "404": "No stored response with this id for this account." }),
          },
        },
      },
      "/models": {
        get: { operationId: "listModels", summary: "The models this key may call.", responses: { "200": { description: "A list of models.", content: { "application/json": { schema: { $ref: "#/components/schemas/ModelList" } } } }, ...errors(["401", "500"]) } },
      },
      "/models/{model}": {
        get: {
          operationId: "retrieveModel",
          summary: "One model.",
          parameters: [param({ name: "model", in: "path", required: true, schema: { type: "string" } })],
          responses: { "200": { description: "The model.", content: { "application/json": { schema: { $ref: "#/components/schemas/Model" } } } }, ...errors(["401", "404", "500"], { "404": "Unknown model, or one this key may not use." }) },
        },
      },
      "/dashboard/billing/subscription": {
        get: { operationId: "billingSubscription", summary: "one-api compatible: what the key can spend (hard_limit_usd).", responses: { "200": { description: "Subscription.", content: { "application/json": { schema: object("billing_subscription") } } }, ...errors(["401", "500"]) } },
      },
      "/dashboard/billing/usage": {
        get: {
          operationId: "billingUsage",
          summary: "one-api compatible: spend in cents.",
          parameters: [
            param({ name: "start_date", in: "query", schema: { type: "string", format: "date" } }),
            param({ name: "end_date", in: "query", schema: { type: "string", format: "date" } }),
          ],
          responses: { "200": { description: "Usage.", content: { "application/json": { schema: object("{ object: 'list', total_usage }") } } }, ...errors(["400", "401", "500"], { "400": "`start_date` or `end_date` is not a date." }) },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A RootAPI key (sk-…)." },
        apiKeyAuth: { type: "apiKey", in: "header", name: "x-api-key", description: "A RootAPI key (sk-…), as Anthropic's SDKs send it (Messages endpoints)." },
      },
      schemas: {
        CreateChatCompletionRequest: requestSchema(chatCompletionRequestSchema, CHAT_COMPLETION_FIELDS),
        CreateEmbeddingRequest: requestSchema(embeddingsRequestSchema, EMBEDDING_FIELDS),
        CreateResponseRequest: requestSchema(responsesRequestSchema, RESPONSE_FIELDS),
        EmbeddingList: {
          type: "object",
          required: ["object", "data", "model", "usage"],
          additionalProperties: true,
          properties: {
            object: { const: "list" },
            data: {
              type: "array",
              items: {
                type: "object",
                required: ["object", "index", "embedding"],
                properties: {
                  object: { const: "embedding" },
                  index: { type: "integer" },
                  embedding: { description: "The vector: numbers, or (encoding_format base64) little-endian float32 bytes in base64.", anyOf: [{ type: "array", items: { type: "number" } }, { type: "string" }] },
                },
              },
            },
            model: { type: "string" },
            usage: { type: "object", required: ["prompt_tokens", "total_tokens"], properties: { prompt_tokens: { type: "integer" }, total_tokens: { type: "integer" } } },
          },
        },
        CreateMessageRequest: requestSchema(messagesRequestSchema, MESSAGE_FIELDS),
        CountMessageTokensRequest: requestSchema(countTokensRequestSchema, MESSAGE_FIELDS),
        Message: {
          type: "object",
          description: "Anthropic's Message object.",
          required: ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"],
          additionalProperties: true,
          properties: {
            id: { type: "string" },
            type: { const: "message" },
            role: { const: "assistant" },
            model: { type: "string" },
            content: {
              type: "array",
              description: "Content blocks: text, thinking, tool_use…",
              items: { type: "object", required: ["type"], additionalProperties: true, properties: { type: { type: "string" } } },
            },
            stop_reason: { type: ["string", "null"], description: "end_turn, max_tokens, stop_sequence, tool_use, pause_turn or refusal." },
            stop_sequence: { type: ["string", "null"] },
            usage: {
              type: "object",
              required: ["input_tokens", "output_tokens"],
              additionalProperties: true,
              properties: {
                input_tokens: { type: "integer" },
                output_tokens: { type: "integer" },
                cache_creation_input_tokens: { type: ["integer", "null"] },
                cache_read_input_tokens: { type: ["integer", "null"] },
              },
            },
          },
        },
        MessageTokensCount: { type: "object", required: ["input_tokens"], properties: { input_tokens: { type: "integer" } } },
        AnthropicErrorResponse: {
          type: "object",
          required: ["type", "error"],
          properties: {
            type: { const: "error" },
            error: { type: "object", required: ["type", "message"], properties: { type: { type: "string" }, message: { type: "string" } } },
          },
        },
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
