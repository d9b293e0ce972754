/**
 * Produces one deterministic value that satisfies a JSON Schema, so the sandbox can answer tool
 * calls and `json_schema` response formats the way a model would: with arguments a client can
 * validate and use. It covers what function-calling and structured-output schemas use in
 * practice (OpenAI's strict subset and then some); it is not a general solver. Not honoured:
 * `pattern`, `not`, `if`/`then`/`else`, `dependentSchemas`, `contains`, and remote `$ref`s.
 */
type Schema = Record<string, unknown>;

export interface SampleOptions {
  /** Seeds string values, so answers visibly relate to the prompt. */
  text?: string;
}

/** Past this depth a recursive schema is bottomed out: nulls, empty arrays, required keys only. */
const SOFT_DEPTH = 8;
/** Hard stop for schemas that cannot bottom out (e.g. a required self-reference). */
const HARD_DEPTH = 32;
const MAX_ITEMS = 64;
const DEFAULT_TEXT = "sandbox";

export function sampleJsonSchema(schema: unknown, options: SampleOptions = {}): unknown {
  return new Sampler(schema, seedText(options.text)).sample(schema, 0, 0);
}

/** A few words of the prompt: long enough to recognise, short enough for an argument value. */
function seedText(text: string | undefined): string {
  const words = (text ?? "").split(/\s+/).filter(Boolean).slice(0, 4).join(" ");
  const short = Array.from(words).slice(0, 40).join("");
  return short || DEFAULT_TEXT;
}

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);
const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

class Sampler {
  constructor(
    private readonly root: unknown,
    private readonly text: string,
  ) {}

  /** `variant` differs between sibling array items so `uniqueItems` holds. */
  sample(input: unknown, depth: number, variant: number): unknown {
    if (input === false || depth > HARD_DEPTH) return null;
    if (!isSchema(input)) return this.string({}, variant);
    const schema = this.resolve(input, depth);
    const deep = depth >= SOFT_DEPTH;

    if ("const" in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[variant % schema.enum.length];

    if (Array.isArray(schema.allOf) && schema.allOf.length) {
      const { allOf, ...rest } = schema;
      return this.sample(allOf.reduce<Schema>((merged, part) => mergeSchemas(merged, isSchema(part) ? this.resolve(part, depth) : {}), rest), depth, variant);
    }
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
    if (branches && branches.length) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
      const branch = this.pickBranch(branches, deep);
      return this.sample(isSchema(branch) ? { ...rest, ...this.resolve(branch, depth) } : branch, depth + 1, variant);
    }

    const type = this.typeOf(schema, deep);
    switch (type) {
      case "null":
        return null;
      case "object":
        return this.object(schema, depth, deep);
      case "array":
        return this.array(schema, depth, deep);
      case "integer":
        return integer(schema, variant);
      case "number":
        return number(schema, variant);
      case "boolean":
        return variant % 2 === 0;
      default:
        return this.string(schema, variant);
    }
  }

  /** Follows `$ref`s (with any sibling keywords layered on top, as 2020-12 allows). */
  private resolve(schema: Schema, depth: number): Schema {
    let current = schema;
    for (let hops = 0; typeof current.$ref === "string" && hops < HARD_DEPTH - depth; hops++) {
      const { $ref, ...siblings } = current;
      const target = lookup(this.root, $ref as string);
      current = isSchema(target) ? { ...target, ...siblings } : siblings;
    }
    return current;
  }

  /** The first branch that is not `null`, unless we are deep in a recursion and need to stop. */
  private pickBranch(branches: unknown[], deep: boolean): unknown {
    const isNull = (b: unknown) => isSchema(b) && (b.type === "null" || (Array.isArray(b.type) && b.type.length === 1 && b.type[0] === "null"));
    if (deep) return branches.find(isNull) ?? branches.find((b) => isSchema(b) && !("$ref" in b)) ?? branches[0];
    return branches.find((b) => !isNull(b)) ?? branches[0];
  }

  private typeOf(schema: Schema, deep: boolean): string {
    const declared = schema.type;
    if (typeof declared === "string") return deep && schema.nullable === true ? "null" : declared;
    if (Array.isArray(declared) && declared.length) {
      const types = declared.filter((t): t is string => typeof t === "string");
      if (deep && types.includes("null")) return "null";
      return types.find((t) => t !== "null") ?? "null";
    }
    if (isSchema(schema.properties) || Array.isArray(schema.required) || "additionalProperties" in schema) return "object";
    if ("items" in schema || Array.isArray(schema.prefixItems)) return "array";
    if (finite(schema.minimum) !== undefined || finite(schema.maximum) !== undefined || "multipleOf" in schema) return "number";
    return "string";
  }

  private object(schema: Schema, depth: number, deep: boolean): Record<string, unknown> {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === "string") : [];
    const keys = required.length || deep ? [...new Set(required)] : Object.keys(properties);
    const minProperties = finite(schema.minProperties) ?? 0;
    for (const key of Object.keys(properties)) {
      if (keys.length >= minProperties) break;
      if (!keys.includes(key)) keys.push(key);
    }
    const extra = schema.additionalProperties;
    for (let i = 1; keys.length < Math.min(minProperties, MAX_ITEMS) && extra !== false; i++) if (!keys.includes(`field_${i}`)) keys.push(`field_${i}`);

    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const propertySchema = Object.hasOwn(properties, key) ? properties[key] : isSchema(extra) ? extra : {};
      out[key] = this.sample(propertySchema, depth + 1, 0);
    }
    return out;
  }

  private array(schema: Schema, depth: number, deep: boolean): unknown[] {
    // Draft-07 tuples put the list in `items`; 2020-12 moved it to `prefixItems`.
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const rest = Array.isArray(schema.items) ? (isSchema(schema.additionalItems) ? schema.additionalItems : {}) : schema.items;
    const minItems = Math.min(finite(schema.minItems) ?? 0, MAX_ITEMS);
    const maxItems = finite(schema.maxItems) ?? Infinity;
    let count = Math.max(minItems, prefix.length, deep ? 0 : 1);
    if (rest === false) count = Math.min(count, prefix.length);
    count = Math.min(count, maxItems);
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) out.push(i < prefix.length ? this.sample(prefix[i], depth + 1, 0) : this.sample(rest ?? {}, depth + 1, i - prefix.length));
    return out;
  }

  private string(schema: Schema, variant: number): string {
    const formatted = formatValue(schema.format, variant);
    if (formatted !== undefined) return formatted;
    let chars = Array.from(variant ? `${this.text} ${variant + 1}` : this.text);
    const minLength = Math.min(finite(schema.minLength) ?? 0, 10_000);
    if (chars.length < minLength) {
      while (chars.length < minLength) chars = chars.concat(Array.from(` ${this.text}`));
      chars = chars.slice(0, minLength);
    }
    const maxLength = finite(schema.maxLength);
    if (maxLength !== undefined && chars.length > maxLength) chars = chars.slice(0, Math.max(maxLength, minLength));
    return chars.join("");
  }
}

/** Fixed, valid examples: a model would produce something plausible; tests want something stable. */
function formatValue(format: unknown, variant: number): string | undefined {
  const day = String((variant % 28) + 1).padStart(2, "0");
  switch (format) {
    case "date-time":
      return `2024-01-${day}T12:00:00Z`;
    case "date":
      return `2024-01-${day}`;
    case "time":
      return "12:00:00Z";
    case "duration":
      return `PT${variant + 1}M`;
    case "email":
    case "idn-email":
      return variant ? `sandbox${variant + 1}@example.com` : "sandbox@example.com";
    case "uri":
    case "url":
    case "iri":
    case "uri-reference":
    case "iri-reference":
      return `https://example.com/sandbox${variant ? `/${variant + 1}` : ""}`;
    case "uuid":
      return `00000000-0000-4000-8000-${String(variant).padStart(12, "0")}`;
    case "hostname":
    case "idn-hostname":
      return variant ? `sandbox${variant + 1}.example.com` : "sandbox.example.com";
    case "ipv4":
      return `192.0.2.${(variant % 254) + 1}`;
    case "ipv6":
      return `2001:db8::${(variant % 0xfffe) + 1}`;
    default:
      return undefined;
  }
}

function integer(schema: Schema, variant: number): number {
  // Exclusive bounds come as numbers (draft 6+) or as booleans next to minimum/maximum (draft 4).
  let lo = finite(schema.minimum);
  let hi = finite(schema.maximum);
  const exLo = finite(schema.exclusiveMinimum) ?? (schema.exclusiveMinimum === true ? lo : undefined);
  const exHi = finite(schema.exclusiveMaximum) ?? (schema.exclusiveMaximum === true ? hi : undefined);
  if (lo !== undefined) lo = Math.ceil(lo);
  if (hi !== undefined) hi = Math.floor(hi);
  if (exLo !== undefined) lo = Math.max(lo ?? -Infinity, Math.floor(exLo) + 1);
  if (exHi !== undefined) hi = Math.min(hi ?? Infinity, Math.ceil(exHi) - 1);
  let value = clamp(1 + variant, lo, hi);
  const step = finite(schema.multipleOf);
  if (step && step > 0) {
    value = Math.ceil(value / step) * step;
    if (hi !== undefined && value > hi) value = Math.floor(hi / step) * step;
    if (!Number.isInteger(value)) value = Math.ceil(value);
  }
  return value;
}

function number(schema: Schema, variant: number): number {
  const min = finite(schema.minimum);
  const max = finite(schema.maximum);
  const exLo = finite(schema.exclusiveMinimum) ?? (schema.exclusiveMinimum === true ? min : undefined);
  const exHi = finite(schema.exclusiveMaximum) ?? (schema.exclusiveMaximum === true ? max : undefined);
  const lo = exLo ?? min;
  const hi = exHi ?? max;
  let value = 1 + variant;
  if (lo !== undefined && (value < lo || (exLo !== undefined && value <= lo))) value = exLo !== undefined ? (hi !== undefined ? (lo + hi) / 2 : lo + 1) : lo;
  if (hi !== undefined && (value > hi || (exHi !== undefined && value >= hi))) value = exHi !== undefined ? (lo !== undefined ? (lo + hi) / 2 : hi - 1) : hi;
  const step = finite(schema.multipleOf);
  if (step && step > 0) {
    const stepped = Math.ceil(value / step) * step;
    value = hi !== undefined && stepped > hi ? Math.floor(hi / step) * step : stepped;
    value = Number(value.toPrecision(12));
  }
  return value;
}

const clamp = (value: number, lo: number | undefined, hi: number | undefined) =>
  Math.min(Math.max(value, lo ?? -Infinity), hi ?? Infinity);

/** `allOf` parts combined: properties and required lists are unioned, other keywords overwritten. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Schema = { ...a, ...b };
  if (isSchema(a.properties) || isSchema(b.properties)) merged.properties = { ...(isSchema(a.properties) ? a.properties : {}), ...(isSchema(b.properties) ? b.properties : {}) };
  if (Array.isArray(a.required) || Array.isArray(b.required)) merged.required = [...new Set([...(Array.isArray(a.required) ? a.required : []), ...(Array.isArray(b.required) ? b.required : [])])];
  return merged;
}

/** A local JSON pointer (`#`, `#/$defs/x`, `#/definitions/x`, …) into the root schema. */
function lookup(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isSchema(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}
