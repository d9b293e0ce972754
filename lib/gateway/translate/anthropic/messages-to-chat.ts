import { Untranslatable, type ChatMessage, type ChatPart, type ChatToolCall, type Loose } from "../hub";
/**
 * Anthropic Messages request → Chat Completions request (the hub format), for clients that speak
 * /v1/messages to channels that speak chat. The input is the client's body as parsed JSON: it is
 * read loosely, because validation belongs to the endpoint, and fields this gateway does not
 * understand must not break a request that otherwise translates.
 */
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Content as a list of blocks: a bare string is one text block. */
function blocksOf(content: unknown): Loose[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

/** Blocks the hub cannot carry back and the model does not need: its own earlier reasoning. */
const THINKING_BLOCKS = new Set(["thinking", "redacted_thinking"]);

/**
 * Records of server-side tool use. They only exist when Anthropic itself ran the tool, which a
 * chat upstream cannot continue; refusing says so instead of silently losing context.
 */
const SERVER_TOOL_BLOCKS = new Set(["server_tool_use", "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result", "mcp_tool_use", "mcp_tool_result", "container_upload"]);

function imagePart(block: Loose, param: string): ChatPart {
  const source = isObject(block.source) ? block.source : {};
  if (source.type === "base64") return { type: "image_url", image_url: { url: `data:${str(source.media_type)};base64,${str(source.data)}` } };
  if (source.type === "url") return { type: "image_url", image_url: { url: str(source.url) } };
  throw new Untranslatable(`An image with source type '${String(source.type)}' is not supported`, `${param}.source.type`);
}

/**
 * A base64 PDF becomes chat's inline `file` part (what OpenAI's chat endpoint takes); plain-text
 * documents become text. Documents by URL or file id have no chat form: sending a note instead
 * would hide from the model that it never saw the document.
 */
function documentPart(block: Loose, param: string): ChatPart {
  const source = isObject(block.source) ? block.source : {};
  if (source.type === "base64" && str(source.media_type) === "application/pdf") {
    const filename = str(block.title) || "document.pdf";
    return { type: "file", file: { filename, file_data: `data:application/pdf;base64,${str(source.data)}` } };
  }
  if (source.type === "text") return { type: "text", text: str(source.data) };
  throw new Untranslatable(`A document with source type '${String(source.type)}' is not supported`, `${param}.source.type`);
}

/** The user-side parts of a block, or null when the block is empty text (never sent on). */
function userPart(block: Loose, param: string): ChatPart | null {
  switch (block.type) {
    case "text":
      return str(block.text) ? { type: "text", text: str(block.text) } : null;
    case "image":
      return imagePart(block, param);
    case "document":
      return documentPart(block, param);
    default:
      throw new Untranslatable(`Content of type '${String(block.type)}' is not supported`, `${param}.type`);
  }
}

/** A lone text part goes as a plain string: the form every chat server understands. */
function compact(parts: ChatPart[]): string | ChatPart[] {
  return parts.length === 1 && parts[0]!.type === "text" ? str(parts[0]!.text) : parts;
}

/** Text of text blocks (system, tool results); anything else is refused at `param`. */
function joinedText(content: unknown, param: string, what: string): string {
  return blocksOf(content)
    .map((block, i) => {
      if (block.type !== "text") throw new Untranslatable(`Content of type '${String(block.type)}' in ${what} is not supported`, `${param}[${i}].type`);
      return str(block.text);
    })
    .filter(Boolean)
    .join("\n");
}

/**
 * A tool result as a chat tool message, plus the images or documents it returned. Chat tool
 * messages are text only, so those go on in the user message that follows the tool messages
 * (where the model still sees them right after the result); chat has no error flag, so an error
 * is marked in the text the model reads.
 */
function toolResult(block: Loose, param: string): { message: ChatMessage; attachments: ChatPart[] } {
  const texts: string[] = [];
  const attachments: ChatPart[] = [];
  blocksOf(block.content).forEach((inner, i) => {
    const part = userPart(inner, `${param}.content[${i}]`);
    if (part?.type === "text") texts.push(str(part.text));
    else if (part) attachments.push(part);
  });
  const text = texts.join("\n");
  return { message: { role: "tool", tool_call_id: str(block.tool_use_id), content: block.is_error === true ? `Error: ${text}` : text }, attachments };
}

/**
 * A user message: its tool results first, as consecutive tool messages (chat wants them right
 * after the assistant message holding the calls), then any other content as one user message.
 */
function userMessages(content: unknown, param: string): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  blocksOf(content).forEach((block, i) => {
    const at = `${param}[${i}]`;
    if (block.type === "tool_result") {
      const { message, attachments } = toolResult(block, at);
      tools.push(message);
      parts.push(...attachments);
    } else {
      const part = userPart(block, at);
      if (part) parts.push(part);
    }
  });
  return parts.length ? [...tools, { role: "user", content: compact(parts) }] : tools;
}

function assistantMessage(content: unknown, param: string): ChatMessage | null {
  const texts: string[] = [];
  const calls: ChatToolCall[] = [];
  blocksOf(content).forEach((block, i) => {
    const at = `${param}[${i}]`;
    if (block.type === "text") texts.push(str(block.text));
    else if (block.type === "tool_use") {
      calls.push({ id: str(block.id), type: "function", function: { name: str(block.name), arguments: JSON.stringify(block.input ?? {}) } });
    } else if (THINKING_BLOCKS.has(String(block.type))) return;
    else if (SERVER_TOOL_BLOCKS.has(String(block.type))) throw new Untranslatable(`Server tool content ('${String(block.type)}') is not supported`, `${at}.type`);
    else throw new Untranslatable(`Content of type '${String(block.type)}' in an assistant message is not supported`, `${at}.type`);
  });
  // Text blocks of one assistant turn are pieces of one generated text.
  const text = texts.join("");
  if (calls.length) return { role: "assistant", content: text || null, tool_calls: calls };
  return text ? { role: "assistant", content: text } : null;
}

interface AnthropicTool {
  name?: unknown;
  description?: unknown;
  input_schema?: unknown;
  strict?: unknown;
  type?: unknown;
}

/**
 * Client tools only. A tool with a `type` other than "custom" is an Anthropic-hosted or
 * Anthropic-defined tool (web search, computer use, bash…): chat cannot run or describe it.
 */
function chatTools(tools: unknown[]): Loose[] {
  return tools.map((raw, i) => {
    const tool = (isObject(raw) ? raw : {}) as AnthropicTool;
    if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") {
      throw new Untranslatable(`The '${String(tool.type)}' tool is not supported`, `tools[${i}].type`);
    }
    const fn: Loose = { name: str(tool.name) };
    if (typeof tool.description === "string") fn.description = tool.description;
    fn.parameters = isObject(tool.input_schema) ? tool.input_schema : { type: "object", properties: {} };
    if (typeof tool.strict === "boolean") fn.strict = tool.strict;
    return { type: "function", function: fn };
  });
}

function chatToolChoice(choice: Loose): unknown {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: str(choice.name) } };
    default:
      throw new Untranslatable(`tool_choice of type '${String(choice.type)}' is not supported`, "tool_choice.type");
  }
}

/** Budget → effort, by the thresholds of issue "Every client, every provider": ≤4096 low, ≤16384 medium. */
export function effortForBudget(budget: number): "low" | "medium" | "high" {
  if (budget <= 4096) return "low";
  if (budget <= 16384) return "medium";
  return "high";
}

/**
 * `enabled` carries a budget; `adaptive` lets the model decide, which chat expresses by leaving
 * reasoning_effort to the upstream's default; `disabled` asks for none, which chat has no single
 * word for on every server, so it too is left out rather than guessed ("minimal"/"none" are
 * refused by some upstreams).
 */
function budgetEffort(thinking: unknown): string | undefined {
  if (!isObject(thinking) || thinking.type !== "enabled") return undefined;
  const budget = typeof thinking.budget_tokens === "number" ? thinking.budget_tokens : 0;
  return effortForBudget(budget);
}

/**
 * `output_config.effort` is the explicit knob and wins over a thinking budget. Chat's common scale
 * stops at high; "xhigh" and "max" are not accepted by every upstream, so they ask for high.
 */
function reasoningEffort(request: Loose): string | undefined {
  const effort = isObject(request.output_config) ? request.output_config.effort : undefined;
  if (effort === "low" || effort === "medium" || effort === "high") return effort;
  if (effort === "xhigh" || effort === "max") return "high";
  return budgetEffort(request.thinking);
}

/**
 * Structured output (`output_config.format`, or the older `output_format`) → a strict json_schema
 * response_format: Anthropic guarantees the schema, and strict is how chat promises the same.
 * Chat requires a name, which Anthropic's format does not have.
 */
function responseFormat(request: Loose): Loose | undefined {
  const format = (isObject(request.output_config) ? request.output_config.format : undefined) ?? request.output_format;
  if (!isObject(format)) return undefined;
  if (format.type !== "json_schema") throw new Untranslatable(`Output format of type '${String(format.type)}' is not supported`, "output_config.format.type");
  return { type: "json_schema", json_schema: { name: "response", schema: format.schema, strict: true } };
}

/**
 * The Chat Completions body. Mapping notes:
 * - `system` (string or text blocks) → a leading system message; `role: "system"` messages stay
 *   system messages where they are.
 * - user: text → text, image → image_url (base64 as a data URL), document (base64 PDF) → file,
 *   tool_result → tool messages before the rest of that message's content (images a tool
 *   returned join that content, since chat tool messages are text only).
 * - assistant: text joined; tool_use → tool_calls (same id, input as a JSON string);
 *   thinking/redacted_thinking dropped.
 * - Empty text is never sent; a message left empty is dropped (assistant tool calls are kept).
 * - tools → functions; tool_choice auto/any/tool/none → auto/required/function/none;
 *   disable_parallel_tool_use → parallel_tool_calls: false.
 * - max_tokens, stop_sequences → stop, temperature, top_p, stream (+ usage in the stream);
 *   output_config.effort, else thinking.budget_tokens → reasoning_effort; output_config.format
 *   (or output_format) → a strict json_schema response_format.
 * - Dropped: cache_control, context_management, metadata, top_k, service_tier, container,
 *   mcp_servers, defer_loading, thinking.display, inference_geo, speed — settings of Anthropic's own servers that a
 *   chat upstream has no counterpart for. (Server tools in `tools` are refused instead: the
 *   model would be told nothing of a tool the client counts on.)
 */
export function messagesToChat(input: object, options: { model?: string } = {}): Record<string, unknown> {
  const request = input as Loose;
  const messages: ChatMessage[] = [];
  if (request.system !== undefined && request.system !== null) {
    const system = joinedText(request.system, "system", "system");
    if (system) messages.push({ role: "system", content: system });
  }
  (Array.isArray(request.messages) ? request.messages : []).forEach((raw, i) => {
    const message = isObject(raw) ? raw : {};
    const param = `messages[${i}].content`;
    if (message.role === "assistant") {
      const out = assistantMessage(message.content, param);
      if (out) messages.push(out);
    } else if (message.role === "system") {
      const text = joinedText(message.content, param, "a system message");
      if (text) messages.push({ role: "system", content: text });
    } else messages.push(...userMessages(message.content, param));
  });

  const body: Record<string, unknown> = { model: options.model ?? request.model, messages };

  const tools = chatTools(Array.isArray(request.tools) ? request.tools : []);
  const choice = isObject(request.tool_choice) ? request.tool_choice : undefined;
  // OpenAI refuses tool_choice and parallel_tool_calls without tools, where Anthropic accepts them.
  if (tools.length) {
    body.tools = tools;
    if (choice) {
      body.tool_choice = chatToolChoice(choice);
      if (choice.disable_parallel_tool_use === true) body.parallel_tool_calls = false;
    }
  }

  if (typeof request.max_tokens === "number") body.max_tokens = request.max_tokens;
  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length) body.stop = request.stop_sequences;
  if (typeof request.temperature === "number") body.temperature = request.temperature;
  if (typeof request.top_p === "number") body.top_p = request.top_p;
  const effort = reasoningEffort(request);
  if (effort) body.reasoning_effort = effort;
  const format = responseFormat(request);
  if (format) body.response_format = format;

  if (request.stream === true) {
    body.stream = true;
    // Usage arrives in a final chunk only when asked for; message_delta must carry it.
    body.stream_options = { include_usage: true };
  }
  return body;
}
