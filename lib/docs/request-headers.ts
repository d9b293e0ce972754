import { ANTHROPIC_VERSION } from "./snippets";

/** Anthropic's Messages endpoints (`/v1/messages`, `/v1/messages/count_tokens`, with or without `?beta=true`). */
export const isAnthropicPath = (path: string) => /^\/v1\/messages(\/count_tokens)?(\?|$)/.test(path);

/**
 * The headers "Try it" sends to /v1 with a key, as that endpoint's own clients do: a bearer token
 * for the OpenAI endpoints; `x-api-key` and `anthropic-version` for Anthropic's Messages API.
 * Pure: used by the browser (a pasted key) and by the portal route (the Playground key).
 */
export function v1Headers(path: string, key: string, hasBody: boolean): Record<string, string> {
  return {
    ...(isAnthropicPath(path) ? { "x-api-key": key, "anthropic-version": ANTHROPIC_VERSION } : { authorization: `Bearer ${key}` }),
    ...(hasBody ? { "content-type": "application/json" } : {}),
  };
}
