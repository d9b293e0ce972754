import { anthropicProvider } from "./anthropic";
import { geminiProvider } from "./gemini";
import { openaiProvider } from "./openai";
import { sandboxProvider } from "./sandbox";
import type { Provider } from "./types";

/** Every channel type the gateway can route to. Adding a provider = one file + one line here. */
const PROVIDERS: readonly Provider[] = [openaiProvider, anthropicProvider, geminiProvider, sandboxProvider];

const byType = new Map(PROVIDERS.map((p) => [p.type, p]));

export function getProvider(type: string): Provider | undefined {
  return byType.get(type);
}

export const PROVIDER_TYPES: readonly string[] = PROVIDERS.map((p) => p.type);
