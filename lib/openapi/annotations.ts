/**
 * Descriptions and documented defaults of the request body fields, merged into the JSON Schemas
 * the zod request schemas produce (lib/openapi/document.ts). The zod schemas stay the one source of
 * which fields exist and what they accept; this only adds words. The portal's docs translate these
 * descriptions by parameter name (messages/<lang>/docs.json → params) and fall back to the text here.
 */
export interface FieldNote {
  description: string;
  /** The value the API (or the upstream) uses when the field is left out. */
  default?: unknown;
}

export type FieldNotes = Record<string, FieldNote>;

export const CHAT_COMPLETION_FIELDS: FieldNotes = {
  model: { description: "The model to call, e.g. `sandbox-chat`. GET /v1/models lists the models your key may use." },
  messages: { description: "The conversation so far: system, developer, user, assistant and tool messages, oldest first." },
  stream: { description: "Stream the answer as server-sent `chat.completion.chunk` events ending with `data: [DONE]`.", default: false },
  stream_options: { description: "Streaming options. `include_usage: true` adds a final chunk carrying the token usage." },
  temperature: { description: "Sampling temperature between 0 and 2: higher is more random, lower more focused.", default: 1 },
  top_p: { description: "Nucleus sampling: only the tokens within this probability mass are considered.", default: 1 },
  n: { description: "How many choices to generate for the same input. Each one is billed.", default: 1 },
  max_tokens: { description: "Upper bound of generated tokens. Also sets the amount held against your balance before the call." },
  max_completion_tokens: { description: "Upper bound of generated tokens, reasoning tokens included (newer name of max_tokens)." },
  stop: { description: "Up to 4 sequences where the model stops generating." },
  presence_penalty: { description: "Between -2 and 2: positive values favour tokens that have not appeared yet.", default: 0 },
  frequency_penalty: { description: "Between -2 and 2: positive values penalise tokens by how often they have appeared.", default: 0 },
  logit_bias: { description: "Map of token ids to a bias between -100 and 100 added to their logits." },
  logprobs: { description: "Return the log probability of each output token.", default: false },
  top_logprobs: { description: "With logprobs: how many most likely tokens to return at each position (0–20)." },
  seed: { description: "Best-effort deterministic sampling: the same seed and parameters should give the same answer." },
  user: { description: "A stable identifier of your end user, forwarded to the upstream for abuse monitoring." },
  metadata: { description: "Up to 16 string key-value pairs attached to the request." },
  tools: { description: "Tools the model may call. Function tools carry a name, a description and JSON Schema parameters." },
  tool_choice: { description: "`none`, `auto`, `required`, or an object naming the tool to call.", default: "auto" },
  parallel_tool_calls: { description: "Whether the model may call several tools in one turn.", default: true },
  response_format: { description: "`text`, `json_object`, or `json_schema` with a schema the answer must follow.", default: { type: "text" } },
};

export const EMBEDDING_FIELDS: FieldNotes = {
  model: { description: "The embedding model to call, e.g. `sandbox-embedding`. GET /v1/models lists the models your key may use." },
  input: { description: "What to embed: a string, an array of up to 2048 strings, an array of token ids, or an array of token-id arrays. No empty strings." },
  dimensions: { description: "How many dimensions the vectors have, for models that can shorten them (the sandbox gives 256 unless asked)." },
  encoding_format: { description: "`float` for arrays of numbers, `base64` for little-endian float32 bytes in base64 (the openai SDKs ask for it and decode it).", default: "float" },
  user: { description: "A stable identifier of your end user, forwarded to the upstream for abuse monitoring." },
  stream: { description: "Embeddings are not streamed: only `false` is accepted.", default: false },
};

export const RESPONSE_FIELDS: FieldNotes = {
  model: { description: "The model to call, e.g. `sandbox-chat`. GET /v1/models lists the models your key may use." },
  input: { description: "Text, or a list of input items (messages, function calls and their outputs) for the model." },
  instructions: { description: "A system (developer) message placed before the input. Not carried over by previous_response_id." },
  tools: { description: "Tools the model may call. Function tools carry a name, a description and JSON Schema parameters." },
  tool_choice: { description: "`none`, `auto`, `required`, or an object naming the tool to call.", default: "auto" },
  parallel_tool_calls: { description: "Whether the model may call several tools in one turn.", default: true },
  max_tool_calls: { description: "The most tool calls the model may make while answering." },
  stream: { description: "Stream the answer as server-sent Responses events (`response.output_text.delta`, …).", default: false },
  stream_options: { description: "Streaming options, e.g. include_obfuscation." },
  temperature: { description: "Sampling temperature between 0 and 2: higher is more random, lower more focused.", default: 1 },
  top_p: { description: "Nucleus sampling: only the tokens within this probability mass are considered.", default: 1 },
  top_logprobs: { description: "How many most likely tokens to return at each position (0–20)." },
  max_output_tokens: { description: "Upper bound of generated tokens, reasoning included (at least 16). Also sets the hold on your balance." },
  reasoning: { description: "Reasoning options for reasoning models: effort and summary." },
  text: { description: "Output text options: format (text, json_object, json_schema) and verbosity." },
  store: { description: "Keep the response so it can be retrieved and continued with previous_response_id.", default: true },
  previous_response_id: { description: "Continue from a stored response: its whole conversation becomes the context of this call." },
  metadata: { description: "Up to 16 string key-value pairs attached to the response." },
  truncation: { description: "`auto` drops the oldest items when the context is too long; `disabled` fails instead.", default: "disabled" },
  user: { description: "A stable identifier of your end user (deprecated in favour of safety_identifier)." },
  safety_identifier: { description: "A stable, hashed identifier of your end user for abuse monitoring." },
  prompt_cache_key: { description: "Groups similar requests to improve the upstream's prompt cache hit rate." },
  service_tier: { description: "The upstream's processing tier, when it offers several." },
  include: { description: "Extra output data to include, e.g. `message.output_text.logprobs`." },
  background: { description: "Run the response in the background. Not supported: refused with a 400.", default: false },
};

/** Anthropic's Messages request (and count_tokens, which takes the prompt fields of it). */
export const MESSAGE_FIELDS: FieldNotes = {
  model: { description: "The model to call, e.g. `sandbox-chat`. Any model of any channel: Anthropic channels get the request as it is, others a translation." },
  messages: { description: "The conversation: alternating `user` and `assistant` turns, each a string or a list of content blocks (text, image, tool_use, tool_result…)." },
  system: { description: "The system prompt: a string or a list of text blocks (which may carry cache_control)." },
  max_tokens: { description: "Upper bound of generated tokens (required). Also sets the amount held against your balance before the call." },
  stream: { description: "Stream the answer as server-sent events: message_start, content_block_delta… message_stop.", default: false },
  temperature: { description: "Sampling temperature between 0 and 1: higher is more random, lower more focused.", default: 1 },
  top_p: { description: "Nucleus sampling: only the tokens within this probability mass are considered." },
  top_k: { description: "Only sample from the top K options for each token." },
  stop_sequences: { description: "Custom text sequences that stop generation; the answer's stop_sequence says which one matched." },
  metadata: { description: "An object describing the request, e.g. `user_id` (an opaque identifier of your end user)." },
  service_tier: { description: "`auto` or `standard_only`: the upstream's capacity tier, where it offers several." },
  tools: { description: "Tools the model may use: custom tools with a name, a description and a JSON Schema `input_schema`, or Anthropic's server tools." },
  tool_choice: { description: "`auto`, `any`, `tool` (with a name) or `none`: how the model uses the tools." },
  thinking: { description: "Extended thinking: `enabled` with a `budget_tokens` below max_tokens, `adaptive`, or `disabled`." },
};

/** Path and query parameters of the other endpoints. */
export const PATH_AND_QUERY_FIELDS: FieldNotes = {
  response_id: { description: "The id of a stored response (`resp_…`)." },
  model: { description: "A model id, e.g. `sandbox-chat`." },
  limit: { description: "How many items to return (1–100).", default: 20 },
  order: { description: "`asc` for oldest first, `desc` for newest first.", default: "desc" },
  after: { description: "An item id: list the items after it (for paging)." },
  start_date: { description: "First day of the period (YYYY-MM-DD, UTC)." },
  end_date: { description: "Day after the period (YYYY-MM-DD, UTC, exclusive)." },
  "anthropic-version": { description: "Anthropic's API version, `2023-06-01` (the SDKs send it for you)." },
  "anthropic-beta": { description: "Anthropic beta features, comma-separated: forwarded with anthropic-version to channels that speak Messages natively." },
  beta: { description: "`true` when the SDK's beta client calls: accepted, changes nothing." },
};

type Json = Record<string, unknown>;

/** A copy of an object JSON Schema whose properties carry the notes' description and default. */
export function annotateProperties(schema: Json, notes: FieldNotes): Json {
  const properties = schema.properties as Record<string, Json> | undefined;
  if (!properties) return schema;
  const annotated: Record<string, Json> = {};
  for (const [name, property] of Object.entries(properties)) {
    const note = notes[name];
    annotated[name] = note ? { ...property, description: note.description, ...(note.default === undefined ? {} : { default: note.default }) } : property;
  }
  return { ...schema, properties: annotated };
}

/** A path or query parameter with its description (and default, in its schema). */
export function annotateParameter<P extends { name: string; schema?: Json }>(parameter: P): P & { description?: string } {
  const note = PATH_AND_QUERY_FIELDS[parameter.name];
  if (!note) return parameter;
  const schema = note.default === undefined || !parameter.schema ? parameter.schema : { ...parameter.schema, default: note.default };
  return { ...parameter, description: note.description, ...(schema ? { schema } : {}) };
}
