import type { InputItem, ResponsesRequest } from "../../../schemas/responses";
import { Untranslatable, type ChatMessage, type ChatPart, type ChatToolCall, type Loose } from "../hub";

/**
 * Responses API request → Chat Completions request, for channels that only speak chat. `items` is
 * the whole conversation (earlier turns' inputs and outputs, then this turn's input), normalized;
 * `instructions` belong to this turn only and are never part of `items`.
 */

const unsupported = (subject: string, param: string | null) => new Untranslatable(`${subject} is not supported`, param);

/**
 * Items that record work a Responses server did itself (searches, generated images, code runs).
 * The assistant message that follows already carries their result, so a chat model can go on
 * without them; they only appear when a conversation moved here from a native Responses channel.
 */
const SERVER_SIDE_ITEMS = new Set([
  "reasoning",
  "web_search_call",
  "file_search_call",
  "image_generation_call",
  "code_interpreter_call",
  "mcp_list_tools",
  "mcp_call",
]);

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/** Chat knows auto/low/high; "original" (full resolution) is closest to "high". */
function chatDetail(detail: unknown): string | undefined {
  if (detail === "original") return "high";
  return detail === "auto" || detail === "low" || detail === "high" ? detail : undefined;
}

function imagePart(part: Loose, param: string): ChatPart {
  const url = str(part.image_url);
  // Chat image parts take URLs (or data URLs) only; a Files API id has nowhere to go.
  if (!url) throw unsupported("An input_image given by file_id", param);
  const detail = chatDetail(part.detail);
  return { type: "image_url", image_url: detail ? { url, detail } : { url } };
}

/**
 * Chat's `file` part carries an uploaded file id or inline file data (a data URL), which is what
 * OpenAI's chat endpoint accepts; a server that does not know file parts will refuse it itself. A
 * file given by URL has no chat equivalent, and sending a note instead would hide from the model
 * that it never saw the file, so it is refused.
 */
function filePart(part: Loose, param: string): ChatPart {
  const file: Loose = {};
  if (str(part.file_id)) file.file_id = part.file_id;
  if (str(part.file_data)) file.file_data = part.file_data;
  if (str(part.filename)) file.filename = part.filename;
  if (!file.file_id && !file.file_data) throw unsupported("An input_file given by file_url", param);
  return { type: "file", file };
}

/** Text of a text-like part (input_text, output_text, a refusal), or null for anything else. */
function partText(part: Loose): string | null {
  if (part.type === "input_text" || part.type === "output_text") return str(part.text);
  if (part.type === "refusal") return str(part.refusal);
  return null;
}

function partsOf(content: unknown): Loose[] {
  if (typeof content === "string") return [{ type: "input_text", text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function userContent(content: unknown, param: string): string | ChatPart[] {
  const parts: ChatPart[] = partsOf(content).map((part, i) => {
    const text = partText(part);
    if (text !== null) return { type: "text", text };
    if (part.type === "input_image") return imagePart(part, `${param}[${i}]`);
    if (part.type === "input_file") return filePart(part, `${param}[${i}]`);
    throw unsupported(`Content of type '${String(part.type)}'`, `${param}[${i}]`);
  });
  // A lone text part goes as a plain string: the form every chat server understands.
  const only = parts.length === 1 ? parts[0] : undefined;
  return only?.type === "text" ? String(only.text) : parts;
}

/**
 * Text-only content as one string: system text because many chat servers and templates accept
 * nothing else there, assistant text because chat takes it back as a string. Parts of an assistant
 * message are pieces of one generated text (joined as the SDKs join output_text); separate input
 * parts go on separate lines.
 */
function textOnly(content: unknown, param: string, role: string): string {
  return partsOf(content)
    .map((part, i) => {
      const text = partText(part);
      if (text === null) throw unsupported(`Content of type '${String(part.type)}' in a ${role} message`, `${param}[${i}]`);
      return text;
    })
    .join(role === "assistant" ? "" : "\n");
}

/** Function output as chat's tool message content: text only (chat tool messages take nothing else). */
function toolContent(output: unknown, param: string): string {
  if (typeof output === "string") return output;
  return textOnly(output, param, "function_call_output");
}

class MessageBuilder {
  readonly messages: ChatMessage[] = [];

  private get last(): ChatMessage | undefined {
    return this.messages.at(-1);
  }

  add(item: InputItem, param: string): void {
    switch (item.type) {
      case "message":
        return this.message(item, param);
      case "function_call":
        return this.functionCall(item);
      case "function_call_output":
        this.messages.push({ role: "tool", tool_call_id: str(item.call_id), content: toolContent(item.output, `${param}.output`) });
        return;
      case "item_reference":
        // References are resolved against stored items before translation; one left here is unknown.
        throw unsupported(`An unresolved item_reference ('${str(item.id)}')`, param);
      default:
        if (SERVER_SIDE_ITEMS.has(item.type)) return; // chat has no place for them (see SERVER_SIDE_ITEMS)
        throw unsupported(`Input item type '${item.type}'`, param);
    }
  }

  private message(item: InputItem, param: string): void {
    const role = str(item.role);
    const contentParam = `${param}.content`;
    if (role === "assistant") return this.assistantText(textOnly(item.content, contentParam, "assistant"));
    // Chat-only servers do not all know "developer"; "system" is the role they all share.
    if (role === "system" || role === "developer") {
      this.messages.push({ role: "system", content: textOnly(item.content, contentParam, role) });
      return;
    }
    this.messages.push({ role: "user", content: userContent(item.content, contentParam) });
  }

  /**
   * Assistant text right after that turn's tool calls (before any tool output) belongs to the same
   * chat message: chat requires the tool messages to follow the message holding the calls.
   */
  private assistantText(text: string): void {
    const last = this.last;
    if (last?.role === "assistant" && last.tool_calls) {
      last.content = last.content ? `${String(last.content)}${text}` : text;
      return;
    }
    this.messages.push({ role: "assistant", content: text });
  }

  /** Consecutive calls, and the assistant text just before them, form one chat assistant message. */
  private functionCall(item: InputItem): void {
    const call: ChatToolCall = { id: str(item.call_id), type: "function", function: { name: str(item.name), arguments: str(item.arguments) } };
    const last = this.last;
    if (last?.role === "assistant") {
      (last.tool_calls ??= []).push(call);
      if (last.content === "") last.content = null;
      return;
    }
    this.messages.push({ role: "assistant", content: null, tool_calls: [call] });
  }
}

type ResponsesTool = NonNullable<ResponsesRequest["tools"]>[number];

function chatTools(tools: readonly ResponsesTool[]): Loose[] {
  return tools.map((tool, i) => {
    if (tool.type !== "function") throw unsupported(`The '${tool.type}' tool`, `tools[${i}]`);
    const fn: Loose = { name: tool.name };
    if (tool.description != null) fn.description = tool.description;
    if (tool.parameters != null) fn.parameters = tool.parameters;
    if (tool.strict != null) fn.strict = tool.strict;
    return { type: "function", function: fn };
  });
}

/**
 * tool_choice in chat's shape. `allowed_tools` becomes a narrowed `tools` list with the mode as
 * the choice: the same constraint, in a form every chat server supports.
 */
function chatToolChoice(choice: ResponsesRequest["tool_choice"], tools: Loose[]): { choice: unknown; tools: Loose[] } {
  if (choice === undefined || typeof choice === "string") return { choice, tools };
  if (choice.type === "function") return { choice: { type: "function", function: { name: String(choice.name) } }, tools };
  if (choice.type === "allowed_tools" && Array.isArray(choice.tools)) {
    const names = new Set<string>();
    choice.tools.forEach((allowed, i) => {
      if (!isObject(allowed) || allowed.type !== "function") {
        throw unsupported(`An allowed tool of type '${String(isObject(allowed) ? allowed.type : allowed)}'`, `tool_choice.tools[${i}]`);
      }
      names.add(str(allowed.name));
    });
    return { choice: choice.mode, tools: tools.filter((tool) => names.has(str((tool.function as Loose).name))) };
  }
  throw unsupported(`tool_choice of type '${String(choice.type)}'`, "tool_choice");
}

function responseFormat(format: NonNullable<ResponsesRequest["text"]>["format"]): Loose | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  const schema: Loose = { name: format.name, schema: format.schema };
  if (format.strict != null) schema.strict = format.strict;
  if (format.description !== undefined) schema.description = format.description;
  return { type: "json_schema", json_schema: schema };
}

/**
 * The Chat Completions body for this turn. Mapping notes:
 * - instructions → a leading system message; developer messages become system messages too.
 * - user parts: input_text → text, input_image → image_url (detail "original" → "high"),
 *   input_file → chat's file part; an image by file_id or a file by file_url is refused.
 * - assistant messages → their text as a string (a refusal part is sent as text: chat servers do
 *   not all take `refusal` back); function_call items → tool_calls on that assistant message;
 *   function_call_output → a tool message (text only).
 * - reasoning items are dropped (chat cannot take them back), as are records of server-side tool
 *   calls (see SERVER_SIDE_ITEMS); other item types throw UnsupportedForChat.
 * - max_output_tokens → max_completion_tokens; reasoning.effort → reasoning_effort;
 *   text.format → response_format; text.verbosity → verbosity.
 * - metadata, store, truncation, service_tier, background, reasoning.summary stay with us.
 * - tools, tool_choice and parallel_tool_calls go only with at least one tool: OpenAI's chat
 *   endpoint refuses the latter two without tools, where the Responses API shrugs.
 */
export function toChatRequest(request: ResponsesRequest, items: InputItem[], options: { model: string; stream: boolean }): Record<string, unknown> {
  // Prompt templates live on OpenAI's side; answering without one would answer something else.
  if (request.prompt != null) throw unsupported("A stored prompt template", "prompt");
  const builder = new MessageBuilder();
  if (request.instructions) builder.messages.push({ role: "system", content: request.instructions });
  items.forEach((item, i) => builder.add(item, `input[${i}]`));

  const body: Record<string, unknown> = { model: options.model, messages: builder.messages };

  const { choice, tools } = chatToolChoice(request.tool_choice, chatTools(request.tools ?? []));
  if (tools.length) {
    body.tools = tools;
    if (choice !== undefined) body.tool_choice = choice;
    if (request.parallel_tool_calls != null) body.parallel_tool_calls = request.parallel_tool_calls;
  }

  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.max_output_tokens != null) body.max_completion_tokens = request.max_output_tokens;
  if (request.reasoning?.effort != null) body.reasoning_effort = request.reasoning.effort;

  const format = responseFormat(request.text?.format);
  if (format) body.response_format = format;
  if (request.text?.verbosity != null) body.verbosity = request.text.verbosity;

  // Responses returns logprobs only when asked through `include`; chat asks with a flag.
  if (request.include?.includes("message.output_text.logprobs")) {
    body.logprobs = true;
    if (request.top_logprobs != null) body.top_logprobs = request.top_logprobs;
  }

  if (request.user !== undefined) body.user = request.user;
  if (request.safety_identifier != null) body.safety_identifier = request.safety_identifier;
  if (request.prompt_cache_key != null) body.prompt_cache_key = request.prompt_cache_key;

  if (options.stream) {
    body.stream = true;
    // Usage arrives in a final chunk only when asked for; the Response must carry it.
    body.stream_options = { include_usage: true };
  }
  return body;
}
