import { Untranslatable, type Loose } from "../hub";

/**
 * JSON Schema (what OpenAI clients send for tool parameters and response_format) → the OpenAPI 3.0
 * subset Gemini's `Schema` accepts. Keywords Gemini knows are kept (types upper-cased, as its enum
 * names them); `["string","null"]` and `anyOf [X, {type:"null"}]` become `nullable`; `const`
 * becomes a one-value enum; `oneOf` is read as `anyOf`; `format` stays where Gemini knows it
 * (date-time, float, int64…); a local `$ref` to `$defs`/`definitions` is written out in place.
 * Everything else (`additionalProperties`, `$schema`, `$id`, `$defs`, `strict`, `examples`…) is
 * dropped. Recursive or remote `$ref`s and `allOf` cannot be expressed and are refused.
 */

const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/** Keywords copied as they are. */
const KEPT = ["title", "description", "nullable", "maxItems", "minItems", "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "minimum", "maximum", "default", "example", "propertyOrdering"];
const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);
/** The formats Gemini takes for each type; others (email, uri…) are refused by it, so dropped here. */
const FORMATS: Record<string, readonly string[]> = { STRING: ["enum", "date-time"], NUMBER: ["float", "double"], INTEGER: ["int32", "int64"] };

/** What a local `$ref` ("#/$defs/Name" or "#/definitions/Name") points at in the root schema. */
function definition(ref: unknown, root: Loose): unknown {
  const match = typeof ref === "string" ? /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref) : null;
  const defs = match ? root[match[1]!] : undefined;
  return match && isObject(defs) ? defs[decodeURIComponent(match[2]!).replaceAll("~1", "/").replaceAll("~0", "~")] : undefined;
}

export function toGeminiSchema(schema: unknown, param: string): Loose {
  return reduce(schema, param, isObject(schema) ? schema : {}, []);
}

function reduce(schema: unknown, param: string, root: Loose, refs: readonly string[]): Loose {
  if (!isObject(schema)) return {};
  if ("$ref" in schema) {
    // Local definitions are written out in place; a recursive one has no finite form.
    const target = definition(schema.$ref, root);
    const ref = String(schema.$ref);
    if (!isObject(target)) throw new Untranslatable(`The JSON Schema reference ${JSON.stringify(schema.$ref)} is not supported (only local $defs)`, param);
    if (refs.includes(ref)) throw new Untranslatable(`The recursive JSON Schema reference ${JSON.stringify(ref)} is not supported`, param);
    const { $ref: _ref, ...siblings } = schema;
    return reduce({ ...target, ...siblings }, param, root, [...refs, ref]);
  }
  if ("allOf" in schema) throw new Untranslatable("JSON Schema allOf is not supported", param);
  const out: Loose = {};
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];

  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
  if (types.includes("null")) out.nullable = true;
  const type = types.find((t) => TYPES.has(t));
  if (type) out.type = type.toUpperCase();
  if (typeof schema.format === "string" && FORMATS[String(out.type)]?.includes(schema.format)) out.format = schema.format;

  const values = schema.const !== undefined ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : null;
  // Gemini's enum is for strings; other enums are left for the description to carry.
  if (values && values.every((v) => typeof v === "string")) {
    out.enum = values;
    out.type ??= "STRING";
  }

  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, sub]) => [name, reduce(sub, `${param}.properties.${name}`, root, refs)]));
    out.type ??= "OBJECT";
  }
  if (Array.isArray(schema.required) && schema.required.length) out.required = schema.required.filter((r) => typeof r === "string");
  if (schema.items !== undefined) out.items = reduce(Array.isArray(schema.items) ? schema.items[0] : schema.items, `${param}.items`, root, refs);

  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (alternatives) {
    const isNull = (s: unknown) => isObject(s) && s.type === "null";
    const rest = alternatives.filter((s) => !isNull(s));
    if (rest.length < alternatives.length) out.nullable = true;
    const key = Array.isArray(schema.anyOf) ? "anyOf" : "oneOf";
    if (rest.length === 1) Object.assign(out, reduce(rest[0], `${param}.${key}[0]`, root, refs), out.nullable ? { nullable: true } : {});
    else if (rest.length) out.anyOf = rest.map((s, i) => reduce(s, `${param}.${key}[${i}]`, root, refs));
  }
  return out;
}
