/**
 * A linear pre-scan of a JSON body that refuses shapes whose parsing would stall the process:
 * V8's JSON.parse on millions of nesting levels or millions of tiny values blocks the event loop
 * for seconds and takes gigabytes. The scan stops at the first violation, so a hostile body costs
 * microseconds; a normal body costs a byte loop (~1 ms per MB), far less than parsing it. Large
 * bodies are scanned a slice at a time (scanJsonShape), yielding to other requests in between.
 */
export interface JsonLimits {
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
  /** Most containers plus separated values (a proxy for the number of values, counted without parsing). */
  maxValues: number;
}

// Tool schemas and structured outputs nest a few dozen levels at most; token-id arrays for
// embeddings stay far below a million values.
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 64, maxValues: 1_000_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

export type JsonShapeProblem = { kind: "depth"; limit: number } | { kind: "values"; limit: number };

/** The scan's position, so a body can be scanned in slices. */
class ShapeScanner {
  private depth = 0;
  private values = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly limits: JsonLimits) {}

  /** Scans bytes[from, to); the first limit broken so far, or null. */
  scan(bytes: Uint8Array, from: number, to: number): JsonShapeProblem | null {
    const { maxDepth, maxValues } = this.limits;
    let { depth, values, inString, escaped } = this;
    for (let i = from; i < to; i++) {
      const byte = bytes[i]!;
      if (inString) {
        // Most of a large body is string content (prompts, base64 images): keep this path short.
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) {
        inString = true;
      } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        if (++depth > maxDepth) return { kind: "depth", limit: maxDepth };
        if (++values > maxValues) return { kind: "values", limit: maxValues };
      } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
        depth--;
      } else if (byte === COMMA) {
        if (++values > maxValues) return { kind: "values", limit: maxValues };
      }
    }
    Object.assign(this, { depth, values, inString, escaped });
    return null;
  }
}

/** The first limit the body breaks, or null. Malformed JSON is left for JSON.parse to report. */
export function jsonShapeProblem(bytes: Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonShapeProblem | null {
  return new ShapeScanner(limits).scan(bytes, 0, bytes.length);
}

const SLICE_BYTES = 1 << 20;

/** jsonShapeProblem a megabyte at a time, letting other work run between slices. */
export async function scanJsonShape(bytes: Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): Promise<JsonShapeProblem | null> {
  const scanner = new ShapeScanner(limits);
  for (let from = 0; from < bytes.length; from += SLICE_BYTES) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    const problem = scanner.scan(bytes, from, Math.min(bytes.length, from + SLICE_BYTES));
    if (problem) return problem;
  }
  return null;
}

export function describeJsonShapeProblem(problem: JsonShapeProblem): string {
  return problem.kind === "depth"
    ? `The JSON body is nested more than ${problem.limit} levels deep.`
    : `The JSON body has more than ${problem.limit} values.`;
}
