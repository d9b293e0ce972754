/**
 * The hub format every translator goes through: OpenAI Chat Completions. These are the loose shapes
 * translators build (bodies were validated by their endpoint already), and the one error they throw.
 */
export type Loose = Record<string, unknown>;
export type ChatPart = Loose & { type: string };

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | ChatPart[] | null;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
}

/**
 * Something in a request the target format has no way to express (a hosted tool for a chat-only
 * channel, `n > 1` for Anthropic…). `param` points at it, as the protocols' own 400s do.
 */
export class Untranslatable extends Error {
  constructor(
    message: string,
    readonly param: string | null,
  ) {
    super(message);
    this.name = "Untranslatable";
  }
}

/** Chat features that only Chat Completions servers have: a translation to another family refuses them. */
export function refuseChatOnlyFeatures(request: Loose): void {
  if (typeof request.n === "number" && request.n > 1) throw new Untranslatable("n greater than 1 is not supported", "n");
  if (request.logprobs === true) throw new Untranslatable("logprobs are not supported", "logprobs");
  if (Array.isArray(request.modalities) && request.modalities.includes("audio")) throw new Untranslatable("Audio output is not supported", "modalities");
}
