/**
 * Names from OpenTelemetry's GenAI semantic conventions for what the gateway knows: the operation
 * of an endpoint and the provider behind a channel type.
 */
export function operationName(endpoint: string): string {
  return endpoint === "/v1/embeddings" ? "embeddings" : "chat";
}

const PROVIDERS: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  gemini: "gcp.gemini",
};

/** `openai` channels are any OpenAI-compatible server; the convention names the API they speak. */
export function providerName(channelType: string): string {
  return PROVIDERS[channelType] ?? `rootapi.${channelType}`;
}

/** "chat gpt-4o" — the span name the conventions ask for; just the operation when the model is unknown. */
export function spanName(operation: string, model: string | null): string {
  return model ? `${operation} ${model}` : operation;
}
