import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sampleJsonSchema } from "@/lib/gateway/providers/sandbox/json-schema-sample";

type Schema = Record<string, unknown>;

function expectValid(schema: Schema, text = "Book a table for two") {
  const value = sampleJsonSchema(schema, { text });
  const result = z.fromJSONSchema(schema as never).safeParse(value);
  expect(result.success, `${JSON.stringify(schema)}\n→ ${JSON.stringify(value)}\n${result.success ? "" : JSON.stringify(result.error.issues)}`).toBe(true);
  return value as any;
}

describe("sandbox JSON Schema sampler", () => {
  it("fills required properties only, or all of them when none are required", () => {
    const some = expectValid({ type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["b"] });
    expect(some).toEqual({ b: 1 });
    const all = expectValid({ type: "object", properties: { a: { type: "string" }, b: { type: "boolean" } } });
    expect(all).toEqual({ a: "Book a table for", b: true });
  });

  it("derives strings from the prompt and honours length limits", () => {
    expect(sampleJsonSchema({ type: "string" }, { text: "  Hello   there, sandbox world again " })).toBe("Hello there, sandbox world");
    expect(sampleJsonSchema({ type: "string" }, {})).toBe("sandbox");
    expect(expectValid({ type: "string", minLength: 30 }, "hi")).toHaveLength(30);
    expect(expectValid({ type: "string", maxLength: 3 })).toBe("Boo");
    expectValid({ type: "string", minLength: 5, maxLength: 5 }, "😀😀😀😀😀😀😀");
  });

  it("picks enum and const values", () => {
    expect(expectValid({ type: "string", enum: ["red", "green"] })).toBe("red");
    expect(expectValid({ const: 42 })).toBe(42);
    expect(expectValid({ type: "object", properties: { kind: { const: "fixed" } }, required: ["kind"] })).toEqual({ kind: "fixed" });
  });

  it("respects numeric bounds", () => {
    expect(expectValid({ type: "integer", minimum: 10, maximum: 20 })).toBe(10);
    expect(expectValid({ type: "integer", maximum: -5 })).toBe(-5);
    expect(expectValid({ type: "integer", exclusiveMinimum: 1, exclusiveMaximum: 3 })).toBe(2);
    expect(expectValid({ type: "integer", minimum: 7, multipleOf: 5 })).toBe(10);
    expectValid({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 });
    expectValid({ type: "number", minimum: -3.5, maximum: -1.25 });
    expectValid({ type: "number", minimum: 0.1, multipleOf: 0.1 });
    // Draft 4 spelled exclusive bounds as booleans.
    expect(sampleJsonSchema({ type: "integer", minimum: 1, exclusiveMinimum: true })).toBe(2);
  });

  it("builds arrays that honour minItems, maxItems, uniqueItems and tuples", () => {
    expect(expectValid({ type: "array", items: { type: "integer" } })).toEqual([1]);
    const unique = expectValid({ type: "array", items: { type: "string" }, minItems: 3, uniqueItems: true });
    expect(new Set(unique).size).toBe(3);
    expect(expectValid({ type: "array", items: { type: "string", enum: ["x", "y", "z"] }, minItems: 2, uniqueItems: true })).toEqual(["x", "y"]);
    expect(expectValid({ type: "array", items: { type: "integer" }, maxItems: 0 })).toEqual([]);
    expect(expectValid({ type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false })).toEqual(["Book a table for", 1]);
  });

  it("takes the first useful branch of anyOf / oneOf and merges allOf", () => {
    expect(expectValid({ anyOf: [{ type: "null" }, { type: "integer", minimum: 5 }] })).toBe(5);
    expect(expectValid({ oneOf: [{ type: "boolean" }, { type: "string" }] })).toBe(true);
    expect(
      expectValid({ allOf: [{ type: "object", properties: { a: { type: "integer" } }, required: ["a"] }, { properties: { b: { type: "string" } }, required: ["b"] }] }),
    ).toEqual({ a: 1, b: "Book a table for" });
  });

  it("treats nullable and type lists as their non-null type", () => {
    expect(expectValid({ type: ["null", "integer"] })).toBe(1);
    expect(sampleJsonSchema({ type: "string", nullable: true }, { text: "x" })).toBe("x");
  });

  it("follows $ref into $defs and definitions, including recursive schemas", () => {
    const tree = {
      $defs: { node: { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } }, required: ["name", "children"] } },
      $ref: "#/$defs/node",
    };
    const value = expectValid(tree);
    let depth = 0;
    for (let node = value; node.children.length; node = node.children[0]) depth++;
    expect(depth).toBeGreaterThan(0);

    const draft7 = { definitions: { money: { type: "object", properties: { amount: { type: "number", minimum: 0 }, currency: { enum: ["EUR", "USD"] } }, required: ["amount", "currency"] } }, type: "object", properties: { price: { $ref: "#/definitions/money" } }, required: ["price"] };
    expect(sampleJsonSchema(draft7)).toEqual({ price: { amount: 1, currency: "EUR" } });

    const linkedList = { $defs: { list: { anyOf: [{ type: "null" }, { type: "object", properties: { next: { $ref: "#/$defs/list" } }, required: ["next"] }] } }, $ref: "#/$defs/list" };
    expectValid(linkedList);
    // A schema that can never bottom out still terminates.
    expect(() => sampleJsonSchema({ $ref: "#" })).not.toThrow();
    expect(() => sampleJsonSchema({ type: "object", properties: { self: { $ref: "#" } }, required: ["self"] })).not.toThrow();
  });

  it("produces well-known formats", () => {
    const value = expectValid({
      type: "object",
      properties: {
        at: { type: "string", format: "date-time" },
        day: { type: "string", format: "date" },
        time: { type: "string", format: "time" },
        email: { type: "string", format: "email" },
        url: { type: "string", format: "uri" },
        id: { type: "string", format: "uuid" },
        host: { type: "string", format: "hostname" },
        ip: { type: "string", format: "ipv4" },
        ip6: { type: "string", format: "ipv6" },
        wait: { type: "string", format: "duration" },
      },
    });
    expect(value.at).toBe("2024-01-01T12:00:00Z");
    expect(value.email).toBe("sandbox@example.com");
    expectValid({ type: "array", items: { type: "string", format: "uuid" }, minItems: 3, uniqueItems: true });
  });

  it("satisfies minProperties and typed additionalProperties", () => {
    const value = expectValid({ type: "object", additionalProperties: { type: "integer" }, minProperties: 2 });
    expect(value).toEqual({ field_1: 1, field_2: 1 });
  });

  it("handles schemas without a type the way a model would", () => {
    expect(sampleJsonSchema({})).toBe("sandbox");
    expect(sampleJsonSchema(true, { text: "anything" })).toBe("anything");
    expect(sampleJsonSchema({ properties: { a: { type: "boolean" } } })).toEqual({ a: true });
    expect(sampleJsonSchema({ items: { type: "boolean" } })).toEqual([true]);
  });

  it("is deterministic", () => {
    const schema = { type: "object", properties: { a: { type: "array", items: { type: "number" }, minItems: 4 }, b: { type: "string", format: "date" } } };
    expect(JSON.stringify(sampleJsonSchema(schema, { text: "x" }))).toBe(JSON.stringify(sampleJsonSchema(schema, { text: "x" })));
  });
});
