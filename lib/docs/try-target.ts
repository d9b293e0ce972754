import { UserError } from "../errors";

/**
 * What the docs' "Try it" may send to /v1 through the portal: one of the endpoints we document,
 * with its method, and a JSON object body for the POST ones. Anything else is refused before it
 * leaves the portal (the portal route must not become a general proxy).
 */
export interface TryTarget {
  method: "GET" | "POST" | "DELETE";
  /** "/v1/…", query string included. */
  path: string;
  body?: Record<string, unknown>;
}

const ROUTES: Array<{ methods: ReadonlyArray<TryTarget["method"]>; pattern: RegExp }> = [
  { methods: ["POST"], pattern: /^\/v1\/chat\/completions$/ },
  { methods: ["POST"], pattern: /^\/v1\/embeddings$/ },
  { methods: ["POST"], pattern: /^\/v1\/responses$/ },
  { methods: ["POST"], pattern: /^\/v1\/messages(\/count_tokens)?$/ },
  { methods: ["GET", "DELETE"], pattern: /^\/v1\/responses\/[^/?#]+$/ },
  { methods: ["GET"], pattern: /^\/v1\/responses\/[^/?#]+\/input_items$/ },
  { methods: ["GET"], pattern: /^\/v1\/models$/ },
  { methods: ["GET"], pattern: /^\/v1\/models\/[^/?#]+$/ },
  { methods: ["GET"], pattern: /^\/v1\/dashboard\/billing\/(subscription|usage)$/ },
];

export interface TryTargetMessages {
  invalidTarget: string;
  bodyNotObject: string;
}

export function parseTryTarget(value: unknown, messages: TryTargetMessages): TryTarget {
  const input = (value ?? {}) as { method?: unknown; path?: unknown; body?: unknown };
  const method = input.method;
  const path = typeof input.path === "string" ? input.path.trim() : "";
  if ((method !== "GET" && method !== "POST" && method !== "DELETE") || path.length > 2_000) throw new UserError(messages.invalidTarget, 400, "invalid_target", "path");
  const [pathname = "", query] = path.split("?", 2);
  const route = ROUTES.find((r) => r.pattern.test(pathname));
  if (!route || !route.methods.includes(method) || /\.\.|%2f/i.test(pathname)) throw new UserError(messages.invalidTarget, 400, "invalid_target", "path");
  const target: TryTarget = { method, path: query === undefined ? pathname : `${pathname}?${query}` };
  if (method === "POST") {
    if (input.body === null || typeof input.body !== "object" || Array.isArray(input.body)) throw new UserError(messages.bodyNotObject, 400, "invalid_body", "body");
    target.body = input.body as Record<string, unknown>;
  }
  return target;
}

/** The headers of the /v1 answer the browser gets to see. */
export const RELAYED_HEADERS = ["content-type", "x-request-id", "request-id", "retry-after", "cache-control"] as const;
