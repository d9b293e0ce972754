import type { StopReason } from "./wire";

/**
 * Hub finish_reason → Anthropic stop_reason. Chat does not say which stop sequence ended the text,
 * so "stop" is always end_turn (and stop_sequence stays null). Unknown reasons — and a stream cut
 * off without one — read as end_turn: the answer is what it is, and end_turn claims nothing more.
 */
export function stopReasonFromHub(finishReason: unknown, hasToolCalls = false): StopReason {
  // Some servers end a tool-calling turn with "stop"; the client only runs tools on tool_use.
  if (hasToolCalls && (finishReason === "stop" || finishReason == null)) return "tool_use";
  switch (finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
