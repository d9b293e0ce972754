import type { z } from "zod";
import { toParam } from "../../schemas/chat-completions";
import { describeJsonShapeProblem, jsonShapeProblem, scanJsonShape } from "../../http/json-guard";
import { OFF_THREAD_MIN_BYTES, parseJsonOffThread } from "../../http/json-off-thread";
import { invalidRequest, type GatewayError } from "./errors";

const decoder = new TextDecoder();

/**
 * Parses a JSON object body, with OpenAI's wording for the usual mistakes. The shape is checked
 * before parsing (a deeply nested or value-packed body would stall the event loop in JSON.parse),
 * and large bodies are scanned in slices and parsed on a worker thread, so that one request's
 * megabytes never hold up the others.
 */
export async function parseJsonBody(bytes: Uint8Array): Promise<Record<string, unknown>> {
  if (bytes.length === 0) throw invalidRequest("The request body is empty; send a JSON object.", null, "empty_body");
  const large = bytes.length >= OFF_THREAD_MIN_BYTES;
  const problem = large ? await scanJsonShape(bytes) : jsonShapeProblem(bytes);
  if (problem) throw invalidRequest(describeJsonShapeProblem(problem), null, "json_too_complex");
  let value: unknown;
  try {
    value = large ? await parseJsonOffThread(bytes) : JSON.parse(decoder.decode(bytes));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        "The API expects a JSON payload, but what was sent was not valid JSON.)",
      null,
      "invalid_json",
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidRequest("The request body must be a JSON object.", null, "invalid_json");
  }
  return value as Record<string, unknown>;
}

type Issue = z.core.$ZodIssue;

/** A union failure is explained by the branch that got furthest (the most specific complaint). */
function mostSpecific(issue: Issue): Issue {
  if (issue.code !== "invalid_union" || !issue.errors.length) return issue;
  let best: Issue | null = null;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const candidate = mostSpecific({ ...first, path: [...issue.path, ...first.path] } as Issue);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ?? issue;
}

export function validationError(error: z.ZodError): GatewayError {
  const issue = mostSpecific(error.issues[0]!);
  const param = toParam(issue.path);
  let message = issue.message;
  if (issue.code === "invalid_type") message = `Invalid type for '${param ?? "body"}': expected ${issue.expected}.`;
  else if (issue.code === "invalid_value") message = `Invalid value for '${param}': expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}.`;
  else if (issue.code === "too_small" || issue.code === "too_big") message = `Invalid '${param}': ${issue.message.replace(/^Too (small|big): /, "")}.`;
  else if (param) message = `Invalid '${param}': ${issue.message}`;
  return invalidRequest(message, param, issue.code === "invalid_type" ? "invalid_type" : "invalid_value");
}

export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
