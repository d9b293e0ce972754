import type { EndpointSlug, HttpMethod } from "./reference";

/**
 * Request and response examples of every /v1 endpoint, in the shapes the gateway really answers
 * with (the sandbox's answers, ids shortened). Pure data: used by the reference pages, the code
 * snippets and the "Try it" panels.
 */
export interface EndpointExample {
  /** The request path relative to /v1, with example ids filled in. */
  path: string;
  method: HttpMethod;
  /** JSON body of POST requests. */
  body?: Record<string, unknown>;
  response: unknown;
  /** The raw SSE a `stream: true` call answers with. */
  stream?: string;
  /** A POST that costs nothing and is not logged with a cost (count_tokens). */
  unbilled?: true;
}

export const SANDBOX_MODEL = "sandbox-chat";
export const SANDBOX_EMBEDDING_MODEL = "sandbox-embedding";
export const EXAMPLE_RESPONSE_ID = "resp_68af4c0a1e2b8190a3c5d7e9f1b3d5f7";
const CREATED = 1767225600;
const ANSWER = 'You said: "Hello!". (sandbox-chat echoes your last message: 1 word, 6 characters.)';

const chatBody = { model: SANDBOX_MODEL, messages: [{ role: "user", content: "Hello!" }] };
const responsesBody = { model: SANDBOX_MODEL, input: "Hello!" };

const chatCompletion = {
  id: "chatcmpl-9f2c1b7e4a6d4c0f8e3a",
  object: "chat.completion",
  created: CREATED,
  model: SANDBOX_MODEL,
  choices: [{ index: 0, message: { role: "assistant", content: ANSWER, refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 9, completion_tokens: 22, total_tokens: 31, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
};

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-9f2c1b7e4a6d4c0f8e3a", object: "chat.completion.chunk", created: CREATED, model: SANDBOX_MODEL, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;

const chatStream = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "You" }),
  chunk({ content: " said:" }),
  chunk({ content: ' "Hello!".' }),
  chunk({ content: " (sandbox-chat" }),
  chunk({}, "stop"),
  "data: [DONE]\n\n",
].join("");

const outputMessage = {
  type: "message",
  id: "msg_68af4c0a2f3c81909b1d2e3f4a5b6c7d",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: ANSWER, annotations: [] }],
};

const responseObject = {
  id: EXAMPLE_RESPONSE_ID,
  object: "response",
  created_at: CREATED,
  status: "completed",
  model: SANDBOX_MODEL,
  output: [outputMessage],
  previous_response_id: null,
  instructions: null,
  store: true,
  usage: { input_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens: 22, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 31 },
};

const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

const responsesStream = [
  event("response.created", { sequence_number: 0, response: { id: EXAMPLE_RESPONSE_ID, object: "response", status: "in_progress", model: SANDBOX_MODEL, output: [] } }),
  event("response.output_text.delta", { sequence_number: 4, item_id: outputMessage.id, output_index: 0, content_index: 0, delta: "You" }),
  event("response.output_text.delta", { sequence_number: 5, item_id: outputMessage.id, output_index: 0, content_index: 0, delta: " said:" }),
  event("response.output_text.done", { sequence_number: 28, item_id: outputMessage.id, output_index: 0, content_index: 0, text: ANSWER }),
  event("response.completed", { sequence_number: 31, response: { id: EXAMPLE_RESPONSE_ID, object: "response", status: "completed", usage: responseObject.usage } }),
].join("");

const messageBody = { model: SANDBOX_MODEL, max_tokens: 1024, messages: [{ role: "user", content: "Hello!" }] };
const MESSAGE_ID = "msg_01a7c3e5f7b9d1f3a5c7e9b1";
const messageUsage = { input_tokens: 9, output_tokens: 22, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

const message = {
  id: MESSAGE_ID,
  type: "message",
  role: "assistant",
  model: SANDBOX_MODEL,
  content: [{ type: "text", text: ANSWER }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: messageUsage,
};

const textDelta = (text: string) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text } });

const messagesStream = [
  event("message_start", { message: { ...message, content: [], stop_reason: null, usage: { ...messageUsage, output_tokens: 1 } } }),
  event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  event("ping", {}),
  textDelta("You"),
  textDelta(" said:"),
  textDelta(' "Hello!".'),
  event("content_block_stop", { index: 0 }),
  event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 22 } }),
  event("message_stop", {}),
].join("");

/** Anthropic's error shape, as the Messages endpoints answer (a 402 when the balance cannot cover the call). */
export const ANTHROPIC_ERROR_EXAMPLE = {
  type: "error",
  error: {
    type: "billing_error",
    message: "You exceeded your current quota: your balance is $0.00 and this request may cost up to $0.04. Top up your balance in the portal, or lower max_tokens.",
  },
};

export const ERROR_EXAMPLE = {
  error: {
    message: "You exceeded your current quota: your balance is $0.00 and this request may cost up to $0.04. Top up your balance in the portal, or lower max_tokens.",
    type: "insufficient_quota",
    param: null,
    code: "insufficient_quota",
  },
};

export const EXAMPLES: Record<EndpointSlug, EndpointExample> = {
  "chat-completions": { method: "POST", path: "/chat/completions", body: chatBody, response: chatCompletion, stream: chatStream },
  embeddings: {
    method: "POST",
    path: "/embeddings",
    body: { model: SANDBOX_EMBEDDING_MODEL, input: "Hello!", dimensions: 8, encoding_format: "float" },
    // The sandbox's real vector for "Hello!" in 8 dimensions.
    response: {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [-0.288675129, 0.288675129, 0, 0, -0.866025388, -0.288675129, 0, 0] }],
      model: SANDBOX_EMBEDDING_MODEL,
      usage: { prompt_tokens: 2, total_tokens: 2 },
    },
  },
  responses: { method: "POST", path: "/responses", body: responsesBody, response: responseObject, stream: responsesStream },
  messages: { method: "POST", path: "/messages", body: messageBody, response: message, stream: messagesStream },
  "messages-count-tokens": { method: "POST", path: "/messages/count_tokens", body: { model: SANDBOX_MODEL, messages: messageBody.messages }, response: { input_tokens: 9 }, unbilled: true },
  "responses-retrieve": { method: "GET", path: `/responses/${EXAMPLE_RESPONSE_ID}`, response: responseObject },
  "responses-delete": { method: "DELETE", path: `/responses/${EXAMPLE_RESPONSE_ID}`, response: { id: EXAMPLE_RESPONSE_ID, object: "response", deleted: true } },
  "responses-input-items": {
    method: "GET",
    path: `/responses/${EXAMPLE_RESPONSE_ID}/input_items?limit=20&order=asc`,
    response: {
      object: "list",
      data: [{ type: "message", id: "msg_68af4c0a1f0e8190", role: "user", status: "completed", content: [{ type: "input_text", text: "Hello!" }] }],
      first_id: "msg_68af4c0a1f0e8190",
      last_id: "msg_68af4c0a1f0e8190",
      has_more: false,
    },
  },
  models: {
    method: "GET",
    path: "/models",
    response: { object: "list", data: [{ id: SANDBOX_MODEL, object: "model", created: CREATED, owned_by: "rootapi-sandbox" }] },
  },
  "models-retrieve": { method: "GET", path: `/models/${SANDBOX_MODEL}`, response: { id: SANDBOX_MODEL, object: "model", created: CREATED, owned_by: "rootapi-sandbox" } },
  "billing-subscription": {
    method: "GET",
    path: "/dashboard/billing/subscription",
    response: { object: "billing_subscription", has_payment_method: true, soft_limit_usd: 25, hard_limit_usd: 25, system_hard_limit_usd: 25, access_until: 0 },
  },
  "billing-usage": { method: "GET", path: "/dashboard/billing/usage?start_date=2026-01-01&end_date=2026-02-01", response: { object: "list", total_usage: 412.5 } },
};

/** The example of a streaming call: the body with `stream: true`. */
export function streamingBody(slug: EndpointSlug): Record<string, unknown> | null {
  const body = EXAMPLES[slug].body;
  return body ? { ...body, stream: true } : null;
}
