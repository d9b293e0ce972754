/**
 * The parts of Anthropic's Messages wire format these translators write, typed here so runtime
 * code needs no SDK. Fields Anthropic always sends but the hub has no source for are present as
 * null, which is what Anthropic itself sends when they do not apply.
 */

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  /** cache_creation_input_tokens split by TTL. */
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens_details: { thinking_tokens: number } | null;
  server_tool_use: null;
  service_tier: null;
  inference_geo: null;
  speed: null;
}

export interface TextBlock {
  type: "text";
  text: string;
  citations: null;
}

export interface ToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
  caller: { type: "direct" };
}

export type ContentBlock = TextBlock | ToolUseBlock;

export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  stop_details: null;
  container: null;
  diagnostics: null;
  usage: AnthropicUsage;
}

export type AnthropicStreamEvent =
  | { type: "message_start"; message: AnthropicMessage }
  | { type: "content_block_start"; index: number; content_block: ContentBlock }
  | { type: "content_block_delta"; index: number; delta: { type: "text_delta"; text: string } | { type: "input_json_delta"; partial_json: string } }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: { stop_reason: StopReason | null; stop_sequence: string | null; stop_details: null; container: null };
      usage: Omit<AnthropicUsage, "cache_creation" | "service_tier" | "inference_geo" | "speed">;
    }
  | { type: "message_stop" }
  | { type: "error"; error: { type: string; message: string } };
