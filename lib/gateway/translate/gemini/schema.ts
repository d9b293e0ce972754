import { Untranslatable, type Loose } from "../hub";

/**
 * JSON Schema (what OpenAI clients send for tool parameters and response_format) → the OpenAPI 3.0
 * subset Gemini's `Schema` accepts. Keywords Gemini knows are kept (types upper-cased, as its enum
 * names them); `["string","null"]` and `anyOf [X, {type:"null"}]` become `nullable`; `const`
 * becomes a one-value enum; `oneOf` is read as `anyOf`. Everything else (`additionalProperties`,
 * `$schema`, `$id`, `$defs` no `$ref` uses, `strict`, `examples`…) is dropped. `$ref` and `allOf`
 * cannot be expressed and are refused.
 */

const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/** Keywords copied as they are. */
const KEPT = ["format", "title", "description", "nullable", "maxItems", "minItems", "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "minimum", "maximum", "default", "example", "propertyOrdering"];
const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);

export function toGeminiSchema(schema: unknown, param: string): Loose {
  if (!isObject(schema)) return {};
  if ("$ref" in schema) throw new Untranslatable("JSON Schema references ($ref) are not supported", param);
  if ("allOf" in schema) throw new Untranslatable("JSON Schema allOf is not supported", param);
  const out: Loose = {};
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];

  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
  if (types.includes("null")) out.nullable = true;
  const type = types.find((t) => TYPES.has(t));
  if (type) out.type = type.toUpperCase();

  const values = schema.const !== undefined ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : null;
  // Gemini's enum is for strings; other enums are left for the description to carry.
  if (values && values.every((v) => typeof v === "string")) {
    out.enum = values;
    out.type ??= "STRING";
  }

  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, sub]) => [name, toGeminiSchema(sub, `${param}.properties.${name}`)]));
    out.type ??= "OBJECT";
  }
  if (Array.isArray(schema.required) && schema.required.length) out.required = schema.required.filter((r) => typeof r === "string");
  if (schema.items !== undefined) out.items = toGeminiSchema(Array.isArray(schema.items) ? schema.items[0] : schema.items, `${param}.items`);

  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (alternatives) {
    const isNull = (s: unknown) => isObject(s) && s.type === "null";
    const rest = alternatives.filter((s) => !isNull(s));
    if (rest.length < alternatives.length) out.nullable = true;
    const key = Array.isArray(schema.anyOf) ? "anyOf" : "oneOf";
    if (rest.length === 1) Object.assign(out, toGeminiSchema(rest[0], `${param}.${key}[0]`), out.nullable ? { nullable: true } : {});
    else if (rest.length) out.anyOf = rest.map((s, i) => toGeminiSchema(s, `${param}.${key}[${i}]`));
  }
  return out;
}
