import type { ResponsesRequest } from "../../../schemas/responses";

/**
 * The Response object (`Response` in OpenAI's OpenAPI description) as we build it for answers
 * that came from a Chat Completions upstream, plus the helpers both the non-stream and the stream
 * translation use so the two cannot drift apart.
 */

export type ResponseStatus = "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete";
export type ItemStatus = "in_progress" | "completed" | "incomplete";

export interface TopLogProb {
  token: string;
  logprob: number;
  bytes: number[];
}
export interface LogProb extends TopLogProb {
  top_logprobs: TopLogProb[];
}

export interface OutputTextContent {
  type: "output_text";
  text: string;
  annotations: unknown[];
  logprobs: LogProb[];
}
export interface RefusalContent {
  type: "refusal";
  refusal: string;
}
export type OutputContent = OutputTextContent | RefusalContent;

export interface OutputMessage {
  id: string;
  type: "message";
  status: ItemStatus;
  role: "assistant";
  content: OutputContent[];
}
export interface FunctionCallOutputItem {
  id: string;
  type: "function_call";
  status: ItemStatus;
  call_id: string;
  name: string;
  arguments: string;
}
export interface ReasoningOutputItem {
  id: string;
  type: "reasoning";
  summary: Array<{ type: "summary_text"; text: string }>;
}
export type OutputItem = OutputMessage | FunctionCallOutputItem | ReasoningOutputItem;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseError {
  code: string;
  message: string;
}

export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: ResponseStatus;
  background: boolean;
  completed_at: number | null;
  error: ResponseError | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  prompt_cache_key: string | null;
  reasoning: { effort: string | null; summary: string | null };
  safety_identifier: string | null;
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: Record<string, unknown>; verbosity: string };
  tool_choice: string | Record<string, unknown>;
  tools: Array<Record<string, unknown>>;
  top_logprobs: number;
  top_p: number;
  truncation: "auto" | "disabled";
  usage: ResponseUsage | null;
  user: string | null;
  metadata: Record<string, string>;
}

/** Function tools echoed the way OpenAI echoes them: every field present, null when not given. */
function echoTool(tool: Record<string, unknown>): Record<string, unknown> {
  if (tool.type !== "function") return tool;
  return { ...tool, description: tool.description ?? null, parameters: tool.parameters ?? null, strict: tool.strict ?? null };
}

/**
 * The Response before any output: every setting echoed with OpenAI's defaults filled in.
 * `output_text` is deliberately absent: the spec marks it an SDK-only convenience, which the
 * official SDKs compute from `output` on their side (outputText() below computes the same).
 * `service_tier` is "default" because we never forward a tier to chat upstreams.
 */
export function responseSkeleton(
  request: ResponsesRequest,
  init: { id: string; model: string; createdAt: number; status: ResponseStatus },
): ResponseObject {
  return {
    id: init.id,
    object: "response",
    created_at: init.createdAt,
    status: init.status,
    background: request.background ?? false,
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    model: init.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? request.reasoning?.generate_summary ?? null },
    safety_identifier: request.safety_identifier ?? null,
    service_tier: "default",
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: "text" }, verbosity: request.text?.verbosity ?? "medium" },
    tool_choice: request.tool_choice ?? "auto",
    tools: (request.tools ?? []).map(echoTool),
    top_logprobs: request.top_logprobs ?? 0,
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? "disabled",
    usage: null,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

/** Chat's `usage` as upstreams send it; every field may be missing. */
export interface ChatUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

export function usageFromChat(usage: ChatUsage): ResponseUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: count(usage.prompt_tokens_details?.cached_tokens),
      cache_write_tokens: count(usage.prompt_tokens_details?.cache_write_tokens),
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(usage.completion_tokens_details?.reasoning_tokens) },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}

/** What the SDKs expose as `response.output_text`: every output_text of every message, joined. */
export function outputText(output: readonly OutputItem[]): string {
  let text = "";
  for (const item of output) {
    if (item.type !== "message") continue;
    for (const part of item.content) if (part.type === "output_text") text += part.text;
  }
  return text;
}

/** How a chat finish_reason ends a Response. */
export function endingOf(finishReason: unknown): Pick<ResponseObject, "status" | "incomplete_details"> {
  if (finishReason === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/** The finished Response: ending, output, usage; `completed_at` only for completed ones (per spec). */
export function finishedResponse(
  base: ResponseObject,
  end: { finishReason: unknown; output: OutputItem[]; usage: ResponseUsage | null; now: number },
): ResponseObject {
  const ending = endingOf(end.finishReason);
  return { ...base, ...ending, completed_at: ending.status === "completed" ? end.now : null, output: end.output, usage: end.usage };
}

/** Random ids and the clock, replaceable so tests can assert exact objects. */
export interface TranslationOptions {
  newId?: (prefix: "msg" | "fc" | "rs" | "call") => string;
  /** Unix time in seconds. */
  now?: () => number;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Chat logprobs (`choices[].logprobs.content`) as Responses logprobs. */
export function logprobsFromChat(content: unknown): LogProb[] {
  if (!Array.isArray(content)) return [];
  const one = (entry: Record<string, unknown>): TopLogProb => ({
    token: String(entry.token ?? ""),
    logprob: typeof entry.logprob === "number" ? entry.logprob : 0,
    bytes: Array.isArray(entry.bytes) ? (entry.bytes as number[]) : [],
  });
  return content
    .filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === "object")
    .map((entry) => ({
      ...one(entry),
      top_logprobs: Array.isArray(entry.top_logprobs)
        ? entry.top_logprobs.filter((top): top is Record<string, unknown> => top !== null && typeof top === "object").map(one)
        : [],
    }));
}
