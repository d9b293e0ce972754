import type { EndpointSlug } from "@/lib/docs/reference";

/** The message key (docs.endpoints.<key>) of an endpoint's name and summary. */
const KEYS = {
  "chat-completions": "chatCompletions",
  embeddings: "embeddings",
  responses: "responses",
  "responses-retrieve": "responsesRetrieve",
  "responses-delete": "responsesDelete",
  "responses-input-items": "responsesInputItems",
  messages: "messages",
  "messages-count-tokens": "messagesCountTokens",
  models: "models",
  "models-retrieve": "modelsRetrieve",
  "billing-subscription": "billingSubscription",
  "billing-usage": "billingUsage",
} as const satisfies Record<EndpointSlug, string>;

export type EndpointKey = (typeof KEYS)[EndpointSlug];

export function endpointKey(slug: EndpointSlug): EndpointKey {
  return KEYS[slug];
}
