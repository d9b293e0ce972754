/**
 * The /v1 endpoints the docs describe, and their parameter tables read from the OpenAPI document
 * (itself generated from the zod schemas that validate requests): one source of truth. Pure: no
 * server imports, so client components may use the types.
 */
export type HttpMethod = "GET" | "POST" | "DELETE";
export type EndpointSlug =
  | "chat-completions"
  | "embeddings"
  | "responses"
  | "messages"
  | "messages-count-tokens"
  | "responses-retrieve"
  | "responses-delete"
  | "responses-input-items"
  | "models"
  | "models-retrieve"
  | "billing-subscription"
  | "billing-usage";

export interface DocsEndpoint {
  slug: EndpointSlug;
  method: HttpMethod;
  /** As in the OpenAPI document (relative to `<origin>/v1`), e.g. "/responses/{response_id}". */
  openapiPath: string;
  /** The request body's schema in components.schemas, for POST endpoints. */
  bodySchema?: "CreateChatCompletionRequest" | "CreateEmbeddingRequest" | "CreateResponseRequest" | "CreateMessageRequest" | "CountMessageTokensRequest";
  /** The nav group (docs.groups.<group>). */
  group: "chat" | "embeddings" | "responses" | "messages" | "models" | "billing";
  /** Whose wire format: OpenAI's (Bearer key, `{error:{…}}`) or Anthropic's (`x-api-key`, `{type:"error",…}`). */
  protocol: "openai" | "anthropic";
}

export const DOCS_ENDPOINTS: readonly DocsEndpoint[] = [
  { slug: "chat-completions", method: "POST", openapiPath: "/chat/completions", bodySchema: "CreateChatCompletionRequest", group: "chat", protocol: "openai" },
  { slug: "embeddings", method: "POST", openapiPath: "/embeddings", bodySchema: "CreateEmbeddingRequest", group: "embeddings", protocol: "openai" },
  { slug: "responses", method: "POST", openapiPath: "/responses", bodySchema: "CreateResponseRequest", group: "responses", protocol: "openai" },
  { slug: "responses-retrieve", method: "GET", openapiPath: "/responses/{response_id}", group: "responses", protocol: "openai" },
  { slug: "responses-delete", method: "DELETE", openapiPath: "/responses/{response_id}", group: "responses", protocol: "openai" },
  { slug: "responses-input-items", method: "GET", openapiPath: "/responses/{response_id}/input_items", group: "responses", protocol: "openai" },
  { slug: "messages", method: "POST", openapiPath: "/messages", bodySchema: "CreateMessageRequest", group: "messages", protocol: "anthropic" },
  { slug: "messages-count-tokens", method: "POST", openapiPath: "/messages/count_tokens", bodySchema: "CountMessageTokensRequest", group: "messages", protocol: "anthropic" },
  { slug: "models", method: "GET", openapiPath: "/models", group: "models", protocol: "openai" },
  { slug: "models-retrieve", method: "GET", openapiPath: "/models/{model}", group: "models", protocol: "openai" },
  { slug: "billing-subscription", method: "GET", openapiPath: "/dashboard/billing/subscription", group: "billing", protocol: "openai" },
  { slug: "billing-usage", method: "GET", openapiPath: "/dashboard/billing/usage", group: "billing", protocol: "openai" },
];

/** Where the descriptions of an endpoint's body fields are (docs.params.<group>); path, query and header ones are under `path`. */
export function paramGroup(endpoint: DocsEndpoint, location: ParamLocation): "chat" | "embeddings" | "responses" | "messages" | "path" {
  if (location !== "body") return "path";
  if (endpoint.bodySchema === "CreateEmbeddingRequest") return "embeddings";
  if (endpoint.bodySchema === "CreateResponseRequest") return "responses";
  if (endpoint.bodySchema === "CreateMessageRequest" || endpoint.bodySchema === "CountMessageTokensRequest") return "messages";
  return "chat";
}

/** The statuses of Anthropic's error shape the Messages endpoints answer with, and their `error.type`. */
export const ANTHROPIC_ERROR_TYPES = [
  [400, "invalid_request_error"],
  [401, "authentication_error"],
  [402, "billing_error"],
  [403, "permission_error"],
  [404, "not_found_error"],
  [413, "request_too_large"],
  [429, "rate_limit_error"],
  [500, "api_error"],
  [502, "api_error"],
  [503, "overloaded_error"],
  [504, "timeout_error"],
  [529, "overloaded_error"],
] as const;

export function findEndpoint(slug: string): DocsEndpoint | undefined {
  return DOCS_ENDPOINTS.find((endpoint) => endpoint.slug === slug);
}

/** "/v1/responses/{response_id}" — what the docs show. */
export const displayPath = (endpoint: DocsEndpoint) => `/v1${endpoint.openapiPath}`;

export type ParamLocation = "body" | "path" | "query" | "header";

export type Constraint =
  | { kind: "enum"; values: string }
  | { kind: "range"; min: number; max: number }
  | { kind: "min"; min: number }
  | { kind: "max"; max: number }
  | { kind: "maxItems"; max: number }
  | { kind: "maxLength"; max: number };

export interface ParamRow {
  name: string;
  location: ParamLocation;
  /** Compact type, e.g. "number | null", "array<object>", "string | array<string> | null". */
  type: string;
  /** Allowed values and bounds, put into words by the page. */
  constraints: Constraint[];
  required: boolean;
  /** JSON of the documented default, or null. */
  defaultValue: string | null;
  /** The schema's own (English) description: the fallback of the translated one. */
  description: string | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** The alternatives of a schema, flattened (anyOf/oneOf nest: `stop` is anyOf[anyOf[string, array], null]). */
function variants(schema: Json): Json[] {
  const list = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(list)) return list.filter(isObject).flatMap(variants);
  if (Array.isArray(schema.type)) return schema.type.map((type) => ({ ...schema, type }));
  return [schema];
}

function baseType(schema: Json): string {
  if (schema.const !== undefined) return typeof schema.const;
  const type = schema.type;
  if (type === "array") {
    const items = isObject(schema.items) ? [...new Set(variants(schema.items).map(baseType))] : [];
    return items.length === 1 ? `array<${items[0]}>` : "array";
  }
  if (typeof type === "string") return type;
  return "any";
}

/** Compact type of a JSON Schema: the distinct base types of its alternatives, null last. */
export function typeOf(schema: Json): string {
  const types = [...new Set(variants(schema).map(baseType))];
  const ordered = [...types.filter((t) => t !== "null"), ...types.filter((t) => t === "null")];
  return ordered.join(" | ") || "any";
}

const SAFE_MAX = 9007199254740991;

/** Bounds and enum values worth showing (Number.MAX_SAFE_INTEGER bounds are zod's defaults, not ours). */
export function constraintsOf(schema: Json): Constraint[] {
  const out = new Map<string, Constraint>();
  const add = (constraint: Constraint) => out.set(JSON.stringify(constraint), constraint);
  for (const variant of variants(schema)) {
    if (Array.isArray(variant.enum)) add({ kind: "enum", values: variant.enum.map((v) => JSON.stringify(v)).join(", ") });
    const min = typeof variant.minimum === "number" && Math.abs(variant.minimum) < SAFE_MAX ? variant.minimum : null;
    const max = typeof variant.maximum === "number" && Math.abs(variant.maximum) < SAFE_MAX ? variant.maximum : null;
    if (min !== null && max !== null) add({ kind: "range", min, max });
    else if (min !== null) add({ kind: "min", min });
    else if (max !== null) add({ kind: "max", max });
    if (typeof variant.maxItems === "number") add({ kind: "maxItems", max: variant.maxItems });
    if (typeof variant.maxLength === "number") add({ kind: "maxLength", max: variant.maxLength });
  }
  return [...out.values()];
}

function row(name: string, location: ParamLocation, schema: Json, required: boolean, description?: unknown): ParamRow {
  return {
    name,
    location,
    type: typeOf(schema),
    constraints: constraintsOf(schema),
    required,
    defaultValue: schema.default === undefined ? null : JSON.stringify(schema.default),
    description: typeof description === "string" ? description : typeof schema.description === "string" ? schema.description : null,
  };
}

/** The parameter table of an endpoint: path and query parameters, then the body's top-level fields. */
export function parameterRows(document: Json, endpoint: DocsEndpoint): ParamRow[] {
  const paths = document.paths as Record<string, Json>;
  const pathItem = paths[endpoint.openapiPath] ?? {};
  const operation = (pathItem[endpoint.method.toLowerCase()] ?? {}) as Json;
  const parameters = [...((pathItem.parameters as Json[] | undefined) ?? []), ...((operation.parameters as Json[] | undefined) ?? [])];
  const rows: ParamRow[] = [];
  const seen = new Set<string>();
  for (const parameter of parameters) {
    const name = String(parameter.name);
    if (seen.has(name)) continue;
    seen.add(name);
    const location: ParamLocation = parameter.in === "path" ? "path" : parameter.in === "header" ? "header" : "query";
    rows.push(row(name, location, (parameter.schema as Json) ?? {}, parameter.required === true, parameter.description));
  }
  if (endpoint.bodySchema) {
    const schema = ((document.components as Json).schemas as Record<string, Json>)[endpoint.bodySchema]!;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(schema.properties as Record<string, Json>)) {
      rows.push(row(name, "body", property, required.has(name)));
    }
  }
  return rows;
}

/** The operation's English summary from the document (fallback of the translated one). */
export function operationSummary(document: Json, endpoint: DocsEndpoint): string {
  const pathItem = (document.paths as Record<string, Json>)[endpoint.openapiPath] ?? {};
  const operation = (pathItem[endpoint.method.toLowerCase()] ?? {}) as Json;
  return typeof operation.summary === "string" ? operation.summary : "";
}
